#include "pc/report/time_table.hpp"

#include <limits>

namespace pc::report {

namespace {
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
}

void TimeTable::at(std::int64_t ts) {
    if (!times_.empty() && times_.back() == ts) return;
    times_.push_back(ts);
    for (auto& c : columns_) c.push_back(kNone);
}

std::size_t TimeTable::column(std::string_view label) {
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        if (labels_[i] == label) return i;
    }
    labels_.emplace_back(label);
    columns_.emplace_back(times_.size(), kNone);
    return labels_.size() - 1;
}

}  // namespace pc::report
