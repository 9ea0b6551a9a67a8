#include "pc/report/time_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pc::report {

namespace {
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

bool has_nonzero(const std::vector<double>& values) {
    return std::any_of(values.begin(), values.end(),
                       [](double v) { return !std::isnan(v) && v != 0; });
}

std::uint32_t row_ordinal(std::size_t row) {
    return static_cast<std::uint32_t>(
        std::min<std::size_t>(row, std::numeric_limits<std::uint32_t>::max()));
}
}  // namespace

TimeTable::TimeTable(std::size_t keep) : keep_(std::max<std::size_t>(keep, 4)) {}

void TimeTable::at(std::int64_t ts) {
    if (rows_ > 0 && last_ == ts) return;
    if (rows_ > 0 && ts > last_) ++steps_[ts - last_];
    if (buckets_) {
        nonzero_ = nonzero_ || has_nonzero(row_);
        buckets_->add_row(last_, row_ordinal(rows_ - 1), row_.data());
        std::fill(row_.begin(), row_.end(), kNone);
    } else if (rows_ == keep_) {
        to_buckets(ts);
    } else {
        times_.push_back(ts);
        for (auto& c : columns_) c.push_back(kNone);
    }
    last_ = ts;
    ++rows_;
}

void TimeTable::to_buckets(std::int64_t next) {
    MinMaxBuckets b(labels_.size(), 2 * keep_, times_.front(), next);
    std::vector<double> row(labels_.size());
    for (std::size_t r = 0; r < times_.size(); ++r) {
        for (std::size_t c = 0; c < columns_.size(); ++c) row[c] = columns_[c][r];
        b.add_row(times_[r], row_ordinal(r), row.data());
    }
    nonzero_ = std::any_of(columns_.begin(), columns_.end(), has_nonzero);
    buckets_ = std::move(b);
    row_.assign(labels_.size(), kNone);
    std::vector<std::int64_t>().swap(times_);
    std::vector<std::vector<double>>().swap(columns_);
}

std::size_t TimeTable::column(std::string_view label) {
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        if (labels_[i] == label) return i;
    }
    labels_.emplace_back(label);
    if (buckets_) {
        buckets_->add_series();
        row_.push_back(kNone);
    } else {
        columns_.emplace_back(times_.size(), kNone);
    }
    return labels_.size() - 1;
}

bool TimeTable::all_zero() const {
    if (buckets_) return !nonzero_ && !has_nonzero(row_);
    return std::none_of(columns_.begin(), columns_.end(), has_nonzero);
}

std::int64_t most_common_step(const std::map<std::int64_t, std::size_t>& counts) {
    std::int64_t best = 1;
    std::size_t best_count = 0;
    for (const auto& [step, count] : counts) {
        if (count > best_count) {
            best = step;
            best_count = count;
        }
    }
    return best;
}

std::int64_t TimeTable::usual_step() const {
    return most_common_step(steps_);
}

MinMaxBuckets TimeTable::buckets() const {
    MinMaxBuckets b = *buckets_;
    b.add_row(last_, row_ordinal(rows_ - 1), row_.data());
    return b;
}

}  // namespace pc::report
