# cpack -G DEB (in the build folder): a Debian 12 package of what cmake/Install.cmake installs.
# Its Depends are found by dpkg-shlibdeps from the libraries bin/pblur links (libopencv-core406,
# libtbb12, libjpeg62-turbo, libpng16-16, libtiff6, libwebp7, ...).
set(CPACK_PACKAGE_NAME pblur)
set(CPACK_PACKAGE_VENDOR pblur)
set(CPACK_PACKAGE_CONTACT "pblur maintainers <pblur@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "blur, denoise and filter images in parallel")
set(CPACK_PACKAGE_DESCRIPTION
    "pblur cuts an image into horizontal strips, filters them in forked worker processes over a
queue in shared memory or in oneTBB threads, and gives the same bytes as one OpenCV call on the
whole image. pblur batch filters folders; pblur bench measures processes against threads.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# bench --plot runs share/pblur/plot_bench.py with /usr/bin/python3 and matplotlib.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-matplotlib")
include(CPack)
