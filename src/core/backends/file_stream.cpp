#include "core/backends/file_stream.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "core/base/errors.h"
#include "core/image/input_file.h"
#include "core/image/row_codecs.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

// A reader whose codec errors name the input file.
class InputRows final : public RowReader {
 public:
  InputRows(RowReader& rows, const fs::path& path) : rows_(rows), path_(path) {}
  const RowLayout& layout() const override { return rows_.layout(); }
  std::string stream_blocker() const override { return rows_.stream_blocker(); }
  const ImageMetadata& metadata() const override { return rows_.metadata(); }
  int rows_read() const override { return rows_.rows_read(); }
  void read_rows(std::byte* dst, std::size_t stride, int count) override {
    try {
      rows_.read_rows(dst, stride, count);
    } catch (const CodecError& error) {
      refuse_corrupt_input(path_, error.what());
    }
  }

 private:
  RowReader& rows_;
  const fs::path& path_;
};

// A writer whose codec errors name the output file.
class OutputRows final : public RowWriter {
 public:
  OutputRows(RowWriter& rows, const fs::path& path) : rows_(rows), path_(path) {}
  const RowLayout& layout() const override { return rows_.layout(); }
  void write_rows(const std::byte* src, std::size_t stride, int count) override {
    guarded([&] { rows_.write_rows(src, stride, count); });
  }
  void finish() override {
    guarded([&] { rows_.finish(); });
  }

 private:
  template <class Work>
  void guarded(Work&& work) {
    try {
      work();
    } catch (const CodecError& error) {
      throw OutputError("cannot write '" + path_.string() + "': " + error.what());
    }
  }

  RowWriter& rows_;
  const fs::path& path_;
};

std::optional<std::uint64_t> regular_file_size(std::FILE* file) {
  struct stat status;
  if (fstat(fileno(file), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  return std::uint64_t(status.st_size);
}

std::uint64_t file_size(int descriptor) {
  struct stat status;
  return fstat(descriptor, &status) == 0 ? std::uint64_t(status.st_size) : 0;
}

// The reader for `input`, or nullptr with the reason the whole-image path must take it.
std::unique_ptr<RowReader> streaming_reader(std::FILE* input, std::string& reason) {
  if (!input) {
    reason = "the input cannot be opened";
    return nullptr;
  }
  const std::optional<std::uint64_t> size = regular_file_size(input);
  if (!size) {
    reason = "the input is not a regular file";
    return nullptr;
  }
  try {
    std::unique_ptr<RowReader> reader = open_row_reader(input, &reason);
    if (!reader) return nullptr;
    if (!reader->can_stream()) {
      reason = reader->stream_blocker();
      return nullptr;
    }
    const RowLayout& layout = reader->layout();
    if (*size > largest_file_for(std::uint64_t(layout.width) * std::uint64_t(layout.height))) {
      reason = "the file is longer than its image can be";
      return nullptr;
    }
    return reader;
  } catch (const CodecError& error) {
    reason = std::string("its header cannot be read (") + error.what() + ")";
    return nullptr;
  }
}

}  // namespace

FileStreamResult stream_file(FilterBackend& backend, const fs::path& input, const fs::path& output,
                             const FilterChain& chain, const FileStreamOptions& options) {
  const RowStream stream = [&backend](RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                      const StreamOptions& stream_options) {
    return backend.stream(reader, writer, spec, stream_options);
  };
  return stream_file(stream, input, output, chain, options);
}

FileStreamResult stream_file(const RowStream& stream, const fs::path& input, const fs::path& output,
                             const FilterChain& chain, const FileStreamOptions& options) {
  FileStreamResult result;
  const std::string extension = output.extension().string();
  if (!writer_streams(extension)) {
    result.whole_image_reason = "pblur encodes " + extension + " files whole";
    return result;
  }
  const File in(std::fopen(input.c_str(), "rb"));
  const std::unique_ptr<RowReader> reader = streaming_reader(in.get(), result.whole_image_reason);
  if (!reader) return result;
  result.layout = reader->layout();
  const RowLayout& layout = result.layout;
  check_pixel_budget(input, std::uint64_t(layout.width), std::uint64_t(layout.height),
                     options.max_pixels);
  const PixelConversion& conversion = options.save.convert;
  check_output_can_hold(output, cv::Mat(1, 1, layout.cv_type()), conversion);

  AtomicOutputFile file(output, options.rules);
  const ImageOrigin origin = origin_of(*reader, input.string());
  result.warnings = origin.warnings;
  const RowWriteOptions write_options{output_quality(output, options.save, origin), std::nullopt};
  std::unique_ptr<RowWriter> writer =
      open_row_writer(file.stream(), extension, converted_layout(layout, conversion), write_options,
                      output_metadata(origin, options.save.keep, layout.width, layout.height));
  InputRows input_rows(*reader, input);
  OutputRows output_rows(*writer, output);
  ConvertingRowWriter converting_rows(output_rows, layout, conversion);
  result.stats = stream(input_rows, converting_rows, chain, options.stream);
  writer.reset();
  file.commit();
  result.output_bytes = file_size(file.descriptor());
  result.streamed = true;
  return result;
}

}  // namespace pblur
