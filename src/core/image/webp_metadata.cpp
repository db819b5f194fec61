#include "core/image/webp_metadata.h"

#include <cstring>
#include <memory>
#include <string_view>

#include <webp/demux.h>
#include <webp/mux.h>

#include "core/image/row_codec.h"

namespace pblur {
namespace {

struct DemuxDelete {
  void operator()(WebPDemuxer* demux) const { WebPDemuxDelete(demux); }
};
struct MuxDelete {
  void operator()(WebPMux* mux) const { WebPMuxDelete(mux); }
};

constexpr std::string_view kExifPrefix{"Exif\0\0", 6};

WebPData data_of(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

std::vector<std::byte> chunk_of(WebPDemuxer* demux, const char fourcc[4]) {
  WebPChunkIterator chunk{};
  if (!WebPDemuxGetChunk(demux, fourcc, 1, &chunk)) return {};
  const auto* begin = reinterpret_cast<const std::byte*>(chunk.chunk.bytes);
  std::vector<std::byte> payload(begin, begin + chunk.chunk.size);
  WebPDemuxReleaseChunkIterator(&chunk);
  return payload;
}

void drop_exif_prefix(std::vector<std::byte>& exif) {
  if (exif.size() >= kExifPrefix.size() &&
      std::memcmp(exif.data(), kExifPrefix.data(), kExifPrefix.size()) == 0) {
    exif.erase(exif.begin(), exif.begin() + std::ptrdiff_t(kExifPrefix.size()));
  }
}

void set_chunk(WebPMux* mux, const char fourcc[4], const std::vector<std::byte>& payload) {
  if (payload.empty()) return;
  const WebPData data = data_of(payload);
  if (WebPMuxSetChunk(mux, fourcc, &data, 1) != WEBP_MUX_OK) {
    throw CodecError(std::string("libwebpmux could not add the ") + std::string(fourcc, 4) +
                     " chunk");
  }
}

}  // namespace

ImageMetadata webp_metadata_of(std::span<const std::byte> file) {
  ImageMetadata metadata;
  const WebPData data = data_of(file);
  const std::unique_ptr<WebPDemuxer, DemuxDelete> demux(WebPDemux(&data));
  if (!demux) return metadata;
  metadata.icc = chunk_of(demux.get(), "ICCP");
  metadata.exif = chunk_of(demux.get(), "EXIF");
  drop_exif_prefix(metadata.exif);
  metadata.xmp = chunk_of(demux.get(), "XMP ");
  return metadata;
}

std::vector<std::byte> with_webp_metadata(std::span<const std::byte> bitstream,
                                          const ImageMetadata& metadata) {
  if (metadata.icc.empty() && metadata.exif.empty() && metadata.xmp.empty())
    return {bitstream.begin(), bitstream.end()};
  const WebPData image = data_of(bitstream);
  const std::unique_ptr<WebPMux, MuxDelete> mux(WebPMuxCreate(&image, 0));
  if (!mux) throw CodecError("libwebpmux could not read the encoded image");
  set_chunk(mux.get(), "ICCP", metadata.icc);
  set_chunk(mux.get(), "EXIF", metadata.exif);
  set_chunk(mux.get(), "XMP ", metadata.xmp);
  WebPData assembled{};
  if (WebPMuxAssemble(mux.get(), &assembled) != WEBP_MUX_OK) {
    WebPDataClear(&assembled);
    throw CodecError("libwebpmux could not assemble the file");
  }
  const auto* begin = reinterpret_cast<const std::byte*>(assembled.bytes);
  std::vector<std::byte> file(begin, begin + assembled.size);
  WebPDataClear(&assembled);
  return file;
}

}  // namespace pblur
