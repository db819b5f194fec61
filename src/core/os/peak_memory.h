#pragma once

namespace pblur {

// Starts this process's peak resident set size afresh from its current size (Linux's
// /proc/self/clear_refs); false where the kernel refuses, and the peak then covers the
// process's whole life.
bool reset_peak_rss();

// This process's peak resident set size in KiB since it started or since reset_peak_rss().
long peak_rss_kb();

}  // namespace pblur
