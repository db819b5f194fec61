#include "core/backends/file_stream.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/base/errors.h"
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

bool is_regular_file(std::FILE* file) {
  struct stat status;
  return fstat(fileno(file), &status) == 0 && S_ISREG(status.st_mode);
}

// The reader for `input`, or nullptr with the reason the whole-image path must take it.
std::unique_ptr<RowReader> streaming_reader(std::FILE* input, std::string& reason) {
  if (!input) {
    reason = "the input cannot be opened";
    return nullptr;
  }
  if (!is_regular_file(input)) {
    reason = "the input is not a regular file";
    return nullptr;
  }
  try {
    std::unique_ptr<RowReader> reader = open_row_reader(input, &reason);
    if (reader && !reader->can_stream()) {
      reason = reader->stream_blocker();
      return nullptr;
    }
    return reader;
  } catch (const CodecError& error) {
    reason = std::string("its header cannot be read (") + error.what() + ")";
    return nullptr;
  }
}

File output_stream(const AtomicOutputFile& file, const fs::path& path) {
  const int fd = dup(file.descriptor());
  File stream(fd >= 0 ? fdopen(fd, "wb") : nullptr);
  if (!stream) {
    if (fd >= 0) close(fd);
    throw OutputError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
  return stream;
}

void close_output(File stream, const fs::path& path) {
  const bool failed = std::ferror(stream.get()) != 0;
  if (std::fclose(stream.release()) != 0 || failed) {
    throw OutputError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
}

}  // namespace

FileStreamResult stream_file(FilterBackend& backend, const fs::path& input, const fs::path& output,
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
  check_output_can_hold(output, cv::Mat(1, 1, layout.cv_type()));

  AtomicOutputFile file(output, options.rules);
  File out = output_stream(file, output);
  const RowWriteOptions write_options{options.save.quality, std::nullopt};
  std::unique_ptr<RowWriter> writer = open_row_writer(out.get(), extension, layout, write_options);
  InputRows input_rows(*reader, input);
  OutputRows output_rows(*writer, output);
  result.stats = backend.stream(input_rows, output_rows, chain, options.stream);
  writer.reset();
  close_output(std::move(out), output);
  file.commit();
  result.streamed = true;
  return result;
}

}  // namespace pblur
