// One chart's data: a time column (Unix seconds) and one value column per series, NaN where a
// series has no value at that time. Up to `keep` rows are kept at full resolution; past that the
// table keeps min/max buckets (MinMaxBuckets) instead, which is all the display downsampling
// needs: a day at 1 s costs the report a few thousand buckets per chart, not 86,400 rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/report/minmax_buckets.hpp"

namespace pc::report {

class TimeTable {
public:
    // `keep`: rows kept at full resolution (the report's max_points: tables that fit are drawn
    // row for row); past it, min/max buckets, at most 2 × keep of them.
    explicit TimeTable(std::size_t keep = 2000);

    // Starts the row of `ts` unless the last row already has it (rows come in time order;
    // several sar rows of one record share a timestamp).
    void at(std::int64_t ts);
    // The column of `label`, added (NaN up to now) when new.
    std::size_t column(std::string_view label);
    // Sets a value in the last row.
    void set(std::size_t column, double value) {
        if (buckets_) {
            row_[column] = value;
        } else {
            columns_[column].back() = value;
        }
    }

    const std::vector<std::string>& labels() const { return labels_; }
    std::size_t rows() const { return rows_; }
    std::size_t columns() const { return labels_.size(); }
    bool empty() const { return rows_ == 0 || labels_.empty(); }
    // Every value is 0 or missing.
    bool all_zero() const;
    // The most frequent difference between consecutive row times (1 when fewer than two rows).
    std::int64_t usual_step() const;

    // Whether every row is still kept; then times() and values() have them all.
    bool full_resolution() const { return !buckets_; }
    const std::vector<std::int64_t>& times() const { return times_; }
    const std::vector<double>& values(std::size_t column) const { return columns_[column]; }
    // When not full_resolution(): the buckets, the last row included.
    MinMaxBuckets buckets() const;

private:
    void to_buckets(std::int64_t next);

    std::size_t keep_;
    std::vector<std::string> labels_;
    std::size_t rows_ = 0;
    std::int64_t last_ = 0;
    std::map<std::int64_t, std::size_t> steps_;  // difference between rows -> how often
    // Full resolution:
    std::vector<std::int64_t> times_;
    std::vector<std::vector<double>> columns_;
    // Past `keep` rows: every row but the last in buckets_, the last in row_.
    std::optional<MinMaxBuckets> buckets_;
    std::vector<double> row_;
    bool nonzero_ = false;  // a value other than 0 went into buckets_
};

// The most frequent of the counted steps (the smallest of equals; 1 when none was counted).
std::int64_t most_common_step(const std::map<std::int64_t, std::size_t>& counts);

}  // namespace pc::report
