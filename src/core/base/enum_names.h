#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pblur {

template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

// The names of an enum's values, in the order they are listed to a user: one table gives both
// directions, and the choices a command line accepts.
template <typename Enum, std::size_t N>
class EnumNames {
 public:
  constexpr explicit EnumNames(const std::array<EnumName<Enum>, N>& entries) : entries_(entries) {}

  // "?" for a value the table does not name.
  constexpr std::string_view to_name(Enum value) const {
    for (const EnumName<Enum>& entry : entries_) {
      if (entry.value == value) return entry.name;
    }
    return "?";
  }

  constexpr std::optional<Enum> from_name(std::string_view name) const {
    for (const EnumName<Enum>& entry : entries_) {
      if (entry.name == name) return entry.value;
    }
    return std::nullopt;
  }

  // Every name, in the table's order (CLI11's IsMember).
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const EnumName<Enum>& entry : entries_) names.emplace_back(entry.name);
    return names;
  }

  // {name, value} pairs, in the table's order (CLI11's CheckedTransformer).
  std::vector<std::pair<std::string, Enum>> name_value_pairs() const {
    std::vector<std::pair<std::string, Enum>> pairs;
    for (const EnumName<Enum>& entry : entries_) pairs.emplace_back(entry.name, entry.value);
    return pairs;
  }

  constexpr auto begin() const { return entries_.begin(); }
  constexpr auto end() const { return entries_.end(); }
  constexpr std::size_t size() const { return N; }

 private:
  std::array<EnumName<Enum>, N> entries_;
};

// enum_names<Color>({{Color::red, "red"}, {Color::green, "green"}})
template <typename Enum, std::size_t N>
constexpr EnumNames<Enum, N> enum_names(const EnumName<Enum> (&entries)[N]) {
  return EnumNames<Enum, N>(std::to_array(entries));
}

}  // namespace pblur
