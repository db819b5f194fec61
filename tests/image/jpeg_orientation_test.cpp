// EXIF orientation: a whole-image read turns the image exactly as cv::imread does, quirks of
// OpenCV 4.6's EXIF reader included; a streamed read is told it must not stream.
#include <cstring>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/jpeg_reader.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
using Bytes = std::vector<std::byte>;

struct IfdEntry {
  std::uint16_t tag, type;
  std::uint32_t count, value;  // value: an offset, or a SHORT in the first two bytes
};

void put(Bytes& out, std::uint32_t value, int size, bool intel) {
  for (int i = 0; i < size; ++i) {
    const int shift = intel ? 8 * i : 8 * (size - 1 - i);
    out.push_back(std::byte((value >> shift) & 0xFF));
  }
}

// "Exif\0\0" and a TIFF header with one IFD of `entries`, in either byte order.
Bytes exif_payload(const std::vector<IfdEntry>& entries, bool intel = true) {
  Bytes tiff;
  for (const char c : std::string(intel ? "II" : "MM")) tiff.push_back(std::byte(c));
  put(tiff, 42, 2, intel);
  put(tiff, 8, 4, intel);
  put(tiff, std::uint32_t(entries.size()), 2, intel);
  for (const IfdEntry& entry : entries) {
    put(tiff, entry.tag, 2, intel);
    put(tiff, entry.type, 2, intel);
    put(tiff, entry.count, 4, intel);
    if (entry.type == 3 && entry.count == 1) {
      put(tiff, entry.value, 2, intel);
      put(tiff, 0, 2, intel);
    } else {
      put(tiff, entry.value, 4, intel);
    }
  }
  put(tiff, 0, 4, intel);
  Bytes payload(6 + tiff.size());
  std::memcpy(payload.data(), "Exif\0\0", 6);
  std::copy(tiff.begin(), tiff.end(), payload.begin() + 6);
  return payload;
}

Bytes text_payload(const std::string& text) {
  const auto bytes = std::as_bytes(std::span(text.data(), text.size() + 1));
  return {bytes.begin(), bytes.end()};
}

// `jpeg` with APP1 markers holding `payloads` inserted right after its SOI.
Bytes with_app1(const std::vector<uchar>& jpeg, const std::vector<Bytes>& payloads) {
  Bytes out = {std::byte(jpeg[0]), std::byte(jpeg[1])};
  for (const Bytes& payload : payloads) {
    out.push_back(std::byte{0xFF});
    out.push_back(std::byte{0xE1});
    put(out, std::uint32_t(payload.size() + 2), 2, false);
    out.insert(out.end(), payload.begin(), payload.end());
  }
  for (std::size_t i = 2; i < jpeg.size(); ++i) out.push_back(std::byte(jpeg[i]));
  return out;
}

IfdEntry orientation(std::uint32_t value) {
  return {0x0112, 3, 1, value};
}

class JpegOrientation : public ::testing::Test {
 protected:
  void SetUp() override { cv::imencode(".jpg", testing::photo(23, 38), plain_); }

  // Decodes `file` whole and streamed, checking both against imread; returns the whole image.
  cv::Mat expect_as_imread(const Bytes& file) {
    const auto path = folder_ / "in.jpg";
    testing::write_file(path, file);
    const cv::Mat expected = testing::opencv_read_jpeg(path);
    JpegReader reader{std::span(file)};
    const cv::Mat whole = read_whole_image(reader);
    EXPECT_TRUE(testing::identical(whole, expected));
    JpegReader streamed{std::span(file)};
    EXPECT_EQ(streamed.can_stream(),
              whole.size() == expected.size() &&
                  testing::identical(testing::read_in_chunks(streamed, 5), expected));
    return whole;
  }

  std::vector<uchar> plain_;
  testing::TemporaryFolder folder_;
};

TEST_F(JpegOrientation, TurnsEachOfTheEightAsImreadInBothByteOrders) {
  for (const bool intel : {true, false}) {
    for (std::uint32_t value = 1; value <= 8; ++value) {
      SCOPED_TRACE(std::to_string(value) + (intel ? " II" : " MM"));
      const Bytes file = with_app1(plain_, {exif_payload({orientation(value)}, intel)});
      const cv::Mat whole = expect_as_imread(file);
      EXPECT_EQ(whole.cols, value >= 5 ? 23 : 38);
      JpegReader reader{std::span(file)};
      EXPECT_EQ(reader.orientation(), int(value));
      EXPECT_EQ(reader.can_stream(), value == 1);
      if (value != 1) {
        EXPECT_THAT(reader.stream_blocker(), HasSubstr("EXIF orientation"));
      }
    }
  }
}

TEST_F(JpegOrientation, FollowsOpenCvsReaderWhereTheExifIsOdd) {
  const IfdEntry make_out_of_range{0x010F, 2, 20, 5000};
  const IfdEntry make_in_range{0x010F, 2, 3, 0};
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"XMP before EXIF", with_app1(plain_, {text_payload("http://ns.adobe.com/xap/1.0/"),
                                             exif_payload({orientation(6)})})},
      {"value out of range before",
       with_app1(plain_, {exif_payload({make_out_of_range, orientation(6)})})},
      {"short string before", with_app1(plain_, {exif_payload({make_in_range, orientation(3)})})},
      {"orientation 9", with_app1(plain_, {exif_payload({orientation(9)})})},
      {"first of two wins", with_app1(plain_, {exif_payload({orientation(5), orientation(2)})})},
      {"second APP1 ignored",
       with_app1(plain_, {exif_payload({}), exif_payload({orientation(6)})})},
      {"a bare APP1", with_app1(plain_, {Bytes(4, std::byte{'I'})})},
  };
  for (const auto& [name, file] : cases) {
    SCOPED_TRACE(name);
    expect_as_imread(file);
  }
}

TEST_F(JpegOrientation, KeepsTheAllocatorOfTheTurnedImage) {
  class CountingAllocator : public cv::MatAllocator {
   public:
    cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, size_t* step,
                           cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
      ++allocations;
      cv::UMatData* block =
          cv::Mat::getStdAllocator()->allocate(dims, sizes, type, data, step, flags, usage);
      if (block) block->currAllocator = block->prevAllocator = this;
      return block;
    }
    bool allocate(cv::UMatData* data, cv::AccessFlag flags,
                  cv::UMatUsageFlags usage) const override {
      return cv::Mat::getStdAllocator()->allocate(data, flags, usage);
    }
    void deallocate(cv::UMatData* data) const override {
      cv::Mat::getStdAllocator()->deallocate(data);
    }
    mutable int allocations = 0;
  } allocator;
  const Bytes file = with_app1(plain_, {exif_payload({orientation(6)})});
  JpegReader reader{std::span(file)};
  const cv::Mat whole = read_whole_image(reader, &allocator);
  EXPECT_EQ(whole.u->currAllocator, &allocator);
  EXPECT_EQ(allocator.allocations, 2);  // the stored rows, then the turned image
}

}  // namespace
}  // namespace pblur
