#include "pc/report/minmax_buckets.hpp"

#include <algorithm>

namespace pc::report {

void MinMax::add(double v, std::uint32_t row) {
    if (std::isnan(v)) return;
    if (empty()) {
        lo = hi = v;
        lo_at = hi_at = row;
        return;
    }
    if (v < lo) {
        lo = v;
        lo_at = row;
    }
    if (v > hi) {
        hi = v;
        hi_at = row;
    }
}

void MinMax::merge(const MinMax& later) {
    if (later.empty()) return;
    if (empty()) {
        *this = later;
        return;
    }
    if (later.lo < lo) {
        lo = later.lo;
        lo_at = later.lo_at;
    }
    if (later.hi > hi) {
        hi = later.hi;
        hi_at = later.hi_at;
    }
}

MinMaxBuckets::MinMaxBuckets(std::size_t series, std::size_t max_keys, std::int64_t origin,
                             std::int64_t until)
    : series_(series), max_keys_(std::max<std::size_t>(max_keys, 2)), origin_(origin) {
    while ((until - origin_) / width_ >= static_cast<std::int64_t>(max_keys_)) width_ *= 2;
}

void MinMaxBuckets::add_row(std::int64_t ts, std::uint32_t row, const double* values) {
    std::int64_t key = std::max<std::int64_t>(ts - origin_, 0) / width_;
    while (key >= static_cast<std::int64_t>(max_keys_)) {
        double_width();
        key = std::max<std::int64_t>(ts - origin_, 0) / width_;
    }
    // Rows out of time order join the last bucket rather than reorder the buckets.
    if (!keys_.empty() && key < keys_.back()) key = keys_.back();
    if (keys_.empty() || keys_.back() != key) {
        keys_.push_back(key);
        buckets_.push_back({ts, ts, 0});
        cells_.resize(cells_.size() + series_);
    }
    Bucket& b = buckets_.back();
    b.last = ts;
    ++b.rows;
    MinMax* cells = cells_.data() + (buckets_.size() - 1) * series_;
    for (std::size_t s = 0; s < series_; ++s) cells[s].add(values[s], row);
}

void MinMaxBuckets::add_series() {
    std::vector<MinMax> wider(buckets_.size() * (series_ + 1));
    for (std::size_t b = 0; b < buckets_.size(); ++b) {
        std::copy_n(cells_.begin() + static_cast<std::ptrdiff_t>(b * series_), series_,
                    wider.begin() + static_cast<std::ptrdiff_t>(b * (series_ + 1)));
    }
    cells_ = std::move(wider);
    ++series_;
}

void MinMaxBuckets::double_width() {
    width_ *= 2;
    std::size_t out = 0;
    for (std::size_t in = 0; in < buckets_.size(); ++in) {
        const std::int64_t key = keys_[in] / 2;
        if (out > 0 && keys_[out - 1] == key) {
            Bucket& into = buckets_[out - 1];
            into.last = buckets_[in].last;
            into.rows += buckets_[in].rows;
            for (std::size_t s = 0; s < series_; ++s) {
                cells_[(out - 1) * series_ + s].merge(cells_[in * series_ + s]);
            }
            continue;
        }
        keys_[out] = key;
        buckets_[out] = buckets_[in];
        if (out != in) {
            std::copy_n(cells_.begin() + static_cast<std::ptrdiff_t>(in * series_), series_,
                        cells_.begin() + static_cast<std::ptrdiff_t>(out * series_));
        }
        ++out;
    }
    keys_.resize(out);
    buckets_.resize(out);
    cells_.resize(out * series_);
}

}  // namespace pc::report
