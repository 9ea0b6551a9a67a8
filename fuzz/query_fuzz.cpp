// Query strings of GET /v1/machines/<id>/collection (since, until) through httplib's parser,
// then pcd's rule: the value must be a whole int64 and nothing else.
#include <httplib.h>

#include <charconv>

#include "fuzz_check.hpp"
#include "pc/store/collection_filter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string query(reinterpret_cast<const char*>(data), size);
    httplib::Params params;
    httplib::detail::parse_query_text(query, params);
    pc::store::TimeRange range;
    for (const char* name : {"since", "until"}) {
        auto it = params.find(name);
        if (it == params.end()) continue;
        const std::string& text = it->second;
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) continue;
        (std::string_view(name) == "since" ? range.since : range.until) = value;
    }
    for (std::int64_t t : {INT64_MIN, std::int64_t{-1}, std::int64_t{0}, INT64_MAX}) {
        bool in = range.contains(t);
        if (range.since && t < *range.since) FUZZ_CHECK(!in);
        if (range.until && t > *range.until) FUZZ_CHECK(!in);
    }
    return 0;
}
