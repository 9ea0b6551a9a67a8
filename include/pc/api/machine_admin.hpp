// Admin routes that change stored data: POST /v1/machines/<id>/trim?before=<unix seconds> and
// POST /v1/machines/<id>/delete, and their answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pc::api {

// {"identifier":..,"before":..,"removed_batches":..,"removed_records":..,"removed_bytes":..,
//  "records":..,"bytes":..} (records and bytes: what is left)
struct TrimResponse {
    std::string identifier;
    std::int64_t before = 0;
    std::uint64_t removed_batches = 0;
    std::uint64_t removed_records = 0;
    std::uint64_t removed_bytes = 0;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    bool operator==(const TrimResponse&) const = default;
};

// {"identifier":..,"deleted":true,"records":..,"bytes":..} (what the collection held)
struct DeleteResponse {
    std::string identifier;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    bool operator==(const DeleteResponse&) const = default;
};

std::string encode_trim_response(const TrimResponse& response);
std::optional<TrimResponse> decode_trim_response(std::string_view body);
std::string encode_delete_response(const DeleteResponse& response);
std::optional<DeleteResponse> decode_delete_response(std::string_view body);

// "/v1/machines/<id>/trim" and "/v1/machines/<id>/delete" (valid identifiers only).
std::string machine_trim_path(std::string_view identifier);
std::string machine_delete_path(std::string_view identifier);

}  // namespace pc::api
