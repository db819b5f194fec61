#include "core/base/message_header.h"

#include <array>
#include <cstdint>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pblur {
namespace {

struct Header {
  std::uint32_t size;
  std::uint16_t kind;
};

TEST(MessageHeader, ReadsTheHeaderAtTheFrontOfAMessage) {
  const Header written{123456, 7};
  std::array<std::byte, sizeof(Header) + 3> message{};
  std::memcpy(message.data(), &written, sizeof written);
  const Header read = read_header<Header>(message, "strip");
  EXPECT_EQ(read.size, 123456u);
  EXPECT_EQ(read.kind, 7u);
}

TEST(MessageHeader, AShorterMessageIsMalformed) {
  const std::array<std::byte, sizeof(Header) - 1> message{};
  EXPECT_THAT(
      [&] { read_header<Header>(message, "batch"); },
      ::testing::ThrowsMessage<std::runtime_error>(::testing::StrEq("malformed batch message")));
}

}  // namespace
}  // namespace pblur
