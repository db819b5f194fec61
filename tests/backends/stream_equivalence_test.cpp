// A streamed run gives the bytes of the whole-image call, whatever the backend, the transport,
// the worker count and the strip height.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/backends/process_stream.h"
#include "core/backends/stream_plan.h"
#include "core/backends/strip_task.h"
#include "core/backends/threaded_stream.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "mat_rows.h"
#include "test_support.h"

namespace pblur {
namespace {

using testing::MatRowReader;
using testing::MatRowWriter;

struct Shape {
  const char* name;
  int rows;
  int cols;
  int type;
};

const Shape kShapes[] = {
    {"1x1", 1, 1, CV_8UC3},
    {"one row", 1, 37, CV_8UC3},
    {"one column", 23, 1, CV_8UC1},
    {"prime 211x97 BGR", 211, 97, CV_8UC3},
    {"prime 97x61 BGRA", 97, 61, CV_8UC4},
    {"16-bit 83x43 gray", 83, 43, CV_16UC1},
};

FilterSpec make(FilterKind kind, double sigma, int ksize) {
  FilterSpec spec;
  spec.kind = kind;
  spec.sigma = sigma;
  spec.ksize = ksize;
  return spec;
}

const FilterSpec kFilters[] = {
    make(FilterKind::gaussian, 2.0, 0), make(FilterKind::gaussian, 8.0, 0),
    make(FilterKind::box, 0, 4),        make(FilterKind::median, 0, 5),
    make(FilterKind::pil_blur, 0, 0),
};

// Strip counts: the plan's own, one strip, a few, one row each, more strips than rows.
std::vector<int> strip_counts(int rows) {
  return {0, 1, 7, rows, rows + 5};
}

cv::Mat streamed_with_threads(const cv::Mat& image, const FilterSpec& spec, int threads,
                              int strips) {
  MatRowReader reader(image);
  MatRowWriter writer(reader.layout());
  StreamOptions options;
  options.strips = strips;
  stream_with_threads(reader, writer, spec, threads, options);
  EXPECT_TRUE(writer.finished());
  return writer.image();
}

void single_threaded_worker() {
  cv::setNumThreads(1);
}

std::unique_ptr<ProcessPool> make_pool(int workers, const StreamedMessageBytes& bytes) {
  PoolOptions options;
  options.workers = workers;
  options.task_queue_bytes = 2 * bytes.task + 4096;
  options.result_queue_bytes = 2 * bytes.result + 4096;
  options.worker_init = single_threaded_worker;
  return std::make_unique<ProcessPool>(testing::runtime().arena, testing::runtime().server,
                                       filter_strip_task, options);
}

// Pools kept for a whole test, their queues large enough for every shape's strips; they must
// go before the runtime whose shared memory holds them.
using Pools = std::map<int, std::unique_ptr<ProcessPool>>;

ProcessPool& pool_of(Pools& pools, int workers) {
  auto& pool = pools[workers];
  if (!pool) pool = make_pool(workers, StreamedMessageBytes{256 * 1024, 256 * 1024});
  return *pool;
}

cv::Mat streamed_with_processes(Pools& pools, const cv::Mat& image, const FilterSpec& spec,
                                int workers, Transport transport, int strips) {
  MatRowReader reader(image);
  MatRowWriter writer(reader.layout());
  StreamOptions options;
  options.strips = strips;
  stream_with_processes(pool_of(pools, workers), testing::runtime().arena.mat_allocator(),
                        transport, reader, writer, spec, options);
  EXPECT_TRUE(writer.finished());
  return writer.image();
}

bool applies(const FilterSpec& spec, int depth) {
  try {
    validate(spec, depth);
    return true;
  } catch (const UsageError&) {
    return false;
  }
}

TEST(ThreadedStream, EveryShapeFilterThreadCountAndStripCountGivesTheWholeImageBytes) {
  for (const Shape& shape : kShapes) {
    const cv::Mat image = testing::random_image(shape.rows, shape.cols, shape.type);
    for (const FilterSpec& spec : kFilters) {
      if (!applies(spec, image.depth())) continue;
      const cv::Mat reference = filter_image(image, spec);
      for (int threads : {1, 2, 3}) {
        for (int strips : strip_counts(shape.rows)) {
          SCOPED_TRACE(std::string(shape.name) + ", " + std::string(filter_kind_name(spec.kind)) +
                       ", threads " + std::to_string(threads) + ", strips " +
                       std::to_string(strips));
          EXPECT_TRUE(
              testing::identical(streamed_with_threads(image, spec, threads, strips), reference));
        }
      }
    }
  }
}

TEST(ProcessStream, EveryShapeFilterTransportWorkerCountAndStripCountGivesTheWholeImageBytes) {
  Pools pools;
  for (const Shape& shape : kShapes) {
    const cv::Mat image = testing::random_image(shape.rows, shape.cols, shape.type);
    for (const FilterSpec& spec : kFilters) {
      if (!applies(spec, image.depth())) continue;
      const cv::Mat reference = filter_image(image, spec);
      for (Transport transport : {Transport::shared, Transport::copy}) {
        for (int workers : {1, 3}) {
          for (int strips : strip_counts(shape.rows)) {
            SCOPED_TRACE(std::string(shape.name) + ", " + std::string(filter_kind_name(spec.kind)) +
                         ", " + std::string(transport_name(transport)) + ", workers " +
                         std::to_string(workers) + ", strips " + std::to_string(strips));
            EXPECT_TRUE(testing::identical(
                streamed_with_processes(pools, image, spec, workers, transport, strips),
                reference));
          }
        }
      }
    }
  }
}

// A reader that fails part way, as a truncated file does.
class FailingReader : public MatRowReader {
 public:
  FailingReader(cv::Mat image, int fail_at) : MatRowReader(std::move(image)), fail_at_(fail_at) {}
  void read_rows(std::byte* dst, std::size_t stride, int count) override {
    if (rows_read() + count > fail_at_) throw CodecError("premature end of data");
    MatRowReader::read_rows(dst, stride, count);
  }

 private:
  int fail_at_;
};

TEST(ThreadedStream, ACodecErrorMidStreamEndsTheRunWithThatError) {
  const cv::Mat image = testing::random_image(400, 50, CV_8UC3);
  FailingReader reader(image, 250);
  MatRowWriter writer(reader.layout());
  EXPECT_THROW(stream_with_threads(reader, writer, kFilters[0], 2), CodecError);
  EXPECT_FALSE(writer.finished());
}

TEST(ProcessStream, ACodecErrorMidStreamEndsTheRunWithThatErrorAndThePoolStaysUsable) {
  const cv::Mat image = testing::random_image(400, 50, CV_8UC3);
  const FilterSpec& spec = kFilters[0];
  FailingReader failing(image, 250);
  MatRowWriter writer(failing.layout());
  const auto pool =
      make_pool(2, streamed_message_bytes(failing.layout(), spec, Transport::shared, 2, 0));
  EXPECT_THROW(stream_with_processes(*pool, testing::runtime().arena.mat_allocator(),
                                     Transport::shared, failing, writer, spec),
               CodecError);
  EXPECT_FALSE(writer.finished());

  MatRowReader reader(image);
  MatRowWriter second(reader.layout());
  stream_with_processes(*pool, testing::runtime().arena.mat_allocator(), Transport::shared, reader,
                        second, spec);
  EXPECT_TRUE(testing::identical(second.image(), filter_image(image, spec)));
}

TEST(ProcessStream, AStopRequestEndsTheRunWithInterrupted) {
  const cv::Mat image = testing::random_image(400, 50, CV_8UC3);
  const FilterSpec& spec = kFilters[1];
  MatRowReader reader(image);
  MatRowWriter writer(reader.layout());
  const auto pool =
      make_pool(2, streamed_message_bytes(reader.layout(), spec, Transport::shared, 2, 0));
  std::stop_source stop;
  StreamOptions options;
  options.stop = stop.get_token();
  options.on_rows = [&](const StreamProgress&) { stop.request_stop(); };
  EXPECT_THROW(stream_with_processes(*pool, testing::runtime().arena.mat_allocator(),
                                     Transport::shared, reader, writer, spec, options),
               Interrupted);
  EXPECT_FALSE(writer.finished());
}

TEST(ThreadedStream, AStopRequestEndsTheRunWithInterruptedAndNoFilterThreadLeft) {
  const cv::Mat image = testing::random_image(400, 50, CV_8UC3);
  MatRowReader reader(image);
  MatRowWriter writer(reader.layout());
  std::stop_source stop;
  StreamOptions options;
  options.stop = stop.get_token();
  options.on_rows = [&](const StreamProgress&) { stop.request_stop(); };
  EXPECT_THROW(stream_with_threads(reader, writer, kFilters[0], 3, options), Interrupted);
  EXPECT_FALSE(writer.finished());
}

TEST(ThreadedStream, MoreThreadsThanStripsGiveTheWholeImageBytesAndReportEachStripInOrder) {
  const cv::Mat image = testing::random_image(40, 30, CV_8UC3);
  MatRowReader reader(image);
  MatRowWriter writer(reader.layout());
  std::vector<std::vector<std::size_t>> reported;
  StreamOptions options;
  options.on_rows = [&](const StreamProgress& progress) {
    reported.push_back(
        {std::size_t(progress.rows_done), std::size_t(progress.rows), progress.row_bytes});
  };
  const StreamStats stats = stream_with_threads(reader, writer, kFilters[0], 8, options);
  EXPECT_EQ(stats.strips, 2u);
  EXPECT_EQ(reported, (std::vector<std::vector<std::size_t>>{{20, 40, 90}, {40, 40, 90}}));
  EXPECT_TRUE(writer.finished());
  EXPECT_TRUE(testing::identical(writer.image(), filter_image(image, kFilters[0])));
}

TEST(StreamPlan, HoldsABoundedWindowWhateverTheHeight) {
  const StreamPlan tall = StreamPlan::make(100000, 6, 2);
  EXPECT_EQ(tall.in_flight, 10);
  EXPECT_EQ(tall.strip_rows, 32);
  const StreamPlan wide_filter = StreamPlan::make(100000, 24, 2);
  EXPECT_EQ(wide_filter.strip_rows, 96);
  const StreamPlan tiny = StreamPlan::make(3, 6, 8);
  EXPECT_EQ(tiny.strips.size(), 1u);
  EXPECT_EQ(tiny.in_flight, 1);
}

}  // namespace
}  // namespace pblur
