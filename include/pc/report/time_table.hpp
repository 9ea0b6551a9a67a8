// One chart's data at full resolution: a time column (Unix seconds) and one value column per
// series, NaN where a series has no value at that time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pc::report {

class TimeTable {
public:
    // Starts the row of `ts` unless the last row already has it (rows come in time order;
    // several sar rows of one record share a timestamp).
    void at(std::int64_t ts);
    // The column of `label`, added (NaN up to now) when new.
    std::size_t column(std::string_view label);
    // Sets a value in the last row.
    void set(std::size_t column, double value) { columns_[column].back() = value; }

    const std::vector<std::string>& labels() const { return labels_; }
    const std::vector<std::int64_t>& times() const { return times_; }
    const std::vector<double>& values(std::size_t column) const { return columns_[column]; }
    std::size_t rows() const { return times_.size(); }
    std::size_t columns() const { return labels_.size(); }
    bool empty() const { return times_.empty() || labels_.empty(); }

private:
    std::vector<std::string> labels_;
    std::vector<std::int64_t> times_;
    std::vector<std::vector<double>> columns_;
};

}  // namespace pc::report
