#pragma once

#include <sys/types.h>

#include <compare>
#include <filesystem>
#include <optional>
#include <string>

namespace pblur {

// A file as the kernel knows it, whatever its name: a hard link, a symbolic link, a bind mount
// or another spelling of a path all give the same identity.
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  auto operator<=>(const FileId&) const = default;
};

// The identity of the file `path` names (symbolic links followed); nullopt if there is none.
std::optional<FileId> identity_of(const std::filesystem::path& path);

// True if the folder `inner` is `outer` or lies below it, however either is reached: each folder
// from `inner`'s real path up to the root is compared with `outer` by identity, so a symbolic
// link or a bind mount of `outer` counts as `outer`. `inner` need not exist yet (its nearest
// existing folder is used).
bool folder_is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

// What stands at `path` if it is not a regular file ("a FIFO", "a symbolic link", "a folder",
// ...), without following a symbolic link; nullopt for a regular file or nothing at all.
std::optional<std::string> non_regular_kind(const std::filesystem::path& path);

}  // namespace pblur
