#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace pblur {

// Writes `bytes` to `path` so that the file appears whole or not at all, and an existing file
// there is replaced only by a complete new one (keeping its permissions). The data goes to an
// unnamed file (O_TMPFILE) in the same folder, linked under a temporary name and renamed into
// place; signals are held for those two steps. Throws OutputError.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes);

// Removes from `folder` the temporary files that write_file_atomically left there in processes
// that no longer exist: writers killed with SIGKILL between naming a temporary file and renaming
// it into place. Files of processes still running are left alone. Never throws.
void remove_abandoned_temporaries(const std::filesystem::path& folder) noexcept;

}  // namespace pblur
