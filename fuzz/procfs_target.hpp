// One fuzz target per /proc parser, all the same shape: never crash, never hang, explain
// every failure, and give the same answer when the output object is reused (parsers clear
// and reuse their buffers between ticks).
#pragma once

#include "fuzz_check.hpp"
#include "pc/procfs/parse_status.hpp"

namespace pc::fuzz {

template <typename Out, typename Parse, typename Equal>
void check_procfs_parser(const std::uint8_t* data, std::size_t size, Parse parse, Equal equal) {
    auto text = as_view(data, size);
    Out first{};
    pc::procfs::ParseStatus status = parse(text, first);
    if (!status.ok) FUZZ_CHECK(!status.message.empty());
    FUZZ_CHECK(status.message.find('\n') == std::string::npos);  // one-line messages
    // Reuse the filled object, as the per-tick loop does.
    Out reused = first;
    pc::procfs::ParseStatus again = parse(text, reused);
    FUZZ_CHECK(again.ok == status.ok);
    if (status.ok) FUZZ_CHECK(equal(first, reused));
}

}  // namespace pc::fuzz
