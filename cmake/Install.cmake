# cmake --install: the GNU layout under CMAKE_INSTALL_PREFIX (DESTDIR honoured).
#   bin/pblur
#   lib/pblur/                          libpblur_opencv_codecs.so: OpenCV's codecs, loaded when a
#                                       format outside pblur's own is met
#   share/pblur/                        plot_bench.py and the module it imports (bench --plot)
#   share/man/man1/                     pblur.1, pblur-batch.1, pblur-bench.1
#   share/bash-completion/completions/  pblur
#   share/zsh/site-functions/           _pblur
#   share/fish/vendor_completions.d/    pblur.fish
include(GNUInstallDirs)

install(TARGETS pblur RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# pblur finds the libraries it dlopens as ../lib/pblur from its own path (/proc/self/exe), as it
# finds share/pblur: a fixed path, not the multiarch libdir.
set(PBLUR_INSTALL_LIBDIR lib/pblur)
install(TARGETS pblur_opencv_codecs LIBRARY DESTINATION ${PBLUR_INSTALL_LIBDIR})

# bench --plot runs ../share/pblur/plot_bench.py from the binary's path (src/cli/bench_plot.cpp).
install(PROGRAMS tools/plot_bench.py DESTINATION ${CMAKE_INSTALL_DATADIR}/pblur)
install(FILES tools/bench_report.py DESTINATION ${CMAKE_INSTALL_DATADIR}/pblur)

# Man pages: written in roff under docs/man, with the version filled in.
foreach(page pblur pblur-batch pblur-bench)
  configure_file(docs/man/${page}.1.in ${PROJECT_BINARY_DIR}/man/${page}.1 @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/man/${page}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()

install(FILES completions/pblur.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME pblur)
install(FILES completions/_pblur DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES completions/pblur.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
