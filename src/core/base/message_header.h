#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace pblur {

// The fixed-size header that starts a message between processes (a task or a result); throws
// std::runtime_error("malformed <kind> message") when the message is too short to hold one.
template <typename T>
T read_header(std::span<const std::byte> message, std::string_view kind) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (message.size() < sizeof(T)) {
    throw std::runtime_error("malformed " + std::string(kind) + " message");
  }
  T value;
  std::memcpy(&value, message.data(), sizeof value);
  return value;
}

}  // namespace pblur
