// Trickle request bodies as pcd receives them (after any decompression): decode must never
// crash or throw, the scanner fast path must agree with the full JSON parser (it accepts only
// what the parser accepts, with the same values), and an accepted request must survive
// encode -> decode unchanged.
#include "fuzz_check.hpp"
#include "pc/api/trickle.hpp"
#include "pc/api/trickle_scan.hpp"
#include "pc/record/identifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = pc::fuzz::as_view(data, size);
    auto decoded = pc::api::decode_trickle_request(input);
    if (auto scanned = pc::api::scan_canonical_trickle_request(input)) {
        auto parsed = pc::api::decode_trickle_request_json(input);
        FUZZ_CHECK(parsed.request.has_value());
        FUZZ_CHECK(parsed.request->identifier == scanned->identifier);
        FUZZ_CHECK(parsed.request->batch_id == scanned->batch_id);
        FUZZ_CHECK(parsed.request->measurements.size() == scanned->measurements.size());
        for (std::size_t i = 0; i < scanned->measurements.size(); ++i) {
            const auto& a = scanned->measurements[i];
            const auto& b = parsed.request->measurements[i];
            FUZZ_CHECK(a.timestamp == b.timestamp && a.subsystem == b.subsystem &&
                       a.measurement == b.measurement);
        }
    }
    if (!decoded.request) {
        FUZZ_CHECK(!decoded.error.empty());
        return 0;
    }
    const auto& req = *decoded.request;
    (void)pc::record::valid_identifier(req.identifier);
    std::string body = pc::api::encode_trickle_request(req);
    auto again = pc::api::decode_trickle_request(body);
    FUZZ_CHECK(again.request.has_value());
    FUZZ_CHECK(again.request->identifier == req.identifier);
    FUZZ_CHECK(again.request->batch_id == req.batch_id);
    FUZZ_CHECK(again.request->measurements.size() == req.measurements.size());
    for (std::size_t i = 0; i < req.measurements.size(); ++i) {
        const auto& a = req.measurements[i];
        const auto& b = again.request->measurements[i];
        FUZZ_CHECK(a.timestamp == b.timestamp && a.subsystem == b.subsystem &&
                   a.measurement == b.measurement);
    }
    return 0;
}
