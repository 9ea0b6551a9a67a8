#include "pc/store/collection_filter.hpp"

#include <charconv>
#include <system_error>

#include "pc/record/codec.hpp"
#include "pc/store/file_system.hpp"

namespace pc::store {

namespace {

// Every stored line starts {"timestamp":N, (pcd writes them); fall back to a full decode.
std::optional<std::int64_t> line_timestamp(std::string_view line) {
    constexpr std::string_view prefix = "{\"timestamp\":";
    if (line.starts_with(prefix)) {
        std::int64_t t = 0;
        auto begin = line.data() + prefix.size();
        auto [ptr, ec] = std::from_chars(begin, line.data() + line.size(), t);
        if (ec == std::errc() && ptr != begin && ptr < line.data() + line.size() && *ptr == ',') {
            return t;
        }
    }
    auto r = record::decode_record(line);
    if (!r.record) return std::nullopt;
    return r.record->timestamp;
}

}  // namespace

CollectionFilter::CollectionFilter(const CollectionSnapshot& snapshot, TimeRange range)
    : CollectionFilter(*default_file_system(), snapshot, range) {}

CollectionFilter::CollectionFilter(FileSystem& fs, const CollectionSnapshot& snapshot,
                                   TimeRange range)
    : file_(fs.open(snapshot.path, OpenMode::read)), length_(snapshot.length), range_(range) {}

CollectionFilter::~CollectionFilter() = default;

bool CollectionFilter::next(std::string& out) {
    out.clear();
    while (out.empty()) {
        if (offset_ >= length_) return false;
        std::string block(std::min<std::uint64_t>(64 * 1024, length_ - offset_), '\0');
        std::size_t n = 0;
        try {
            n = file_->read_at(block.data(), block.size(), offset_);
        } catch (const std::system_error&) {
            return false;  // as at the end: the stream stops (the answer is already under way)
        }
        if (n == 0) return false;
        block.resize(n);
        offset_ += block.size();
        carry_ += block;
        std::size_t pos = 0;
        for (auto nl = carry_.find('\n'); nl != std::string::npos; nl = carry_.find('\n', pos)) {
            std::string_view line(carry_.data() + pos, nl - pos);
            auto t = line_timestamp(line);
            if (t && range_.contains(*t)) out.append(carry_.data() + pos, nl - pos + 1);
            pos = nl + 1;
        }
        carry_.erase(0, pos);
    }
    return true;
}

}  // namespace pc::store
