#include "core/base/enum_names.h"

#include <gtest/gtest.h>

namespace pblur {
namespace {

enum class Fruit { apple, pear, plum };

constexpr auto kFruitNames = enum_names<Fruit>({{Fruit::pear, "pear"}, {Fruit::apple, "apple"}});

TEST(EnumNames, NamesEachValueBothWays) {
  EXPECT_EQ(kFruitNames.to_name(Fruit::apple), "apple");
  EXPECT_EQ(kFruitNames.to_name(Fruit::pear), "pear");
  EXPECT_EQ(kFruitNames.from_name("apple"), Fruit::apple);
  EXPECT_EQ(kFruitNames.from_name("pear"), Fruit::pear);
  static_assert(kFruitNames.from_name("pear") == Fruit::pear);
}

TEST(EnumNames, AnUnnamedValueOrUnknownNameIsNoMatch) {
  EXPECT_EQ(kFruitNames.to_name(Fruit::plum), "?");
  EXPECT_EQ(kFruitNames.from_name("plum"), std::nullopt);
  EXPECT_EQ(kFruitNames.from_name("Apple"), std::nullopt);
  EXPECT_EQ(kFruitNames.from_name(""), std::nullopt);
}

TEST(EnumNames, ListsTheChoicesInTheTablesOrder) {
  EXPECT_EQ(kFruitNames.names(), (std::vector<std::string>{"pear", "apple"}));
  const std::vector<std::pair<std::string, Fruit>> pairs{{"pear", Fruit::pear},
                                                         {"apple", Fruit::apple}};
  EXPECT_EQ(kFruitNames.name_value_pairs(), pairs);
  EXPECT_EQ(kFruitNames.size(), 2u);
}

}  // namespace
}  // namespace pblur
