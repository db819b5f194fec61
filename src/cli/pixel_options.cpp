#include "cli/pixel_options.h"

#include "core/base/errors.h"

namespace pblur::cli {

void add_pixel_flags(CLI::App& app, PixelFlags& flags) {
  app.add_option("--alpha", flags.alpha,
                 "how gaussian and box blur BGRA images: premultiplied (no dark halos around "
                 "transparent areas) or straight (each channel alone); other filters are "
                 "always straight")
      ->check(CLI::IsMember({"premultiplied", "straight"}))
      ->capture_default_str();
  app.add_flag("--linear", flags.linear,
               "gaussian and box blur in linear light: the sRGB curve decoded before, encoded "
               "after");
  app.add_option("--depth", flags.depth, "write 16-bit images with 8 bits per sample, rounded")
      ->check(CLI::IsMember({8}));
  flags.flatten_option =
      app.add_option("--flatten", flags.flatten,
                     "composite BGRA images over COLOR (a name or #rrggbb; white if none) and "
                     "write them without alpha")
          ->expected(0, 1)
          ->type_name("[COLOR]");
}

FilterChain with_pixel_mode(FilterChain chain, const PixelFlags& flags) {
  PixelMode mode;
  mode.alpha = flags.alpha == "straight" ? AlphaMode::straight : AlphaMode::premultiplied;
  mode.linear = flags.linear;
  chain.set_pixel_mode(mode);
  return chain;
}

PixelConversion to_pixel_conversion(const PixelFlags& flags) {
  PixelConversion conversion;
  conversion.to_8_bits = flags.depth == 8;
  if (flags.flatten_option == nullptr || flags.flatten_option->count() == 0) return conversion;
  conversion.flatten = true;
  if (flags.flatten.empty()) return conversion;
  const auto background = parse_background_colour(flags.flatten);
  if (!background) {
    throw UsageError(
        "--flatten takes a colour name (white, black, gray, red, green, blue, "
        "yellow, cyan, magenta) or #rrggbb, got '" +
        flags.flatten + "'");
  }
  conversion.background = *background;
  return conversion;
}

}  // namespace pblur::cli
