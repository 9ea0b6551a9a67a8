// A stored machine's records in a time window rendered as the report page (the same renderer
// as pcprocess's report.html): what the dashboard's machine page and its report download show.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "pc/store/time_range.hpp"

namespace pc::store {
class Store;
}

namespace pc::server {

struct MachineReport {
    bool found = false;         // the machine is stored
    std::uint64_t records = 0;  // records in the window
};

// Reads the window through Store::read (never more of the collection than the store reads for
// a range) and writes the whole page to `out`. `banner_html` is trusted markup (empty in a
// downloaded file). Throws when the store cannot be read.
MachineReport write_machine_report(const store::Store& store, std::string_view identifier,
                                   store::TimeRange range, const std::string& banner_html,
                                   std::ostream& out);

}  // namespace pc::server
