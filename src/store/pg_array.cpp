#include "pc/store/pg_array.hpp"

#include <stdexcept>

namespace pc::store {

namespace {

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void set32(std::string& out, std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) {
        out[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    }
}

}  // namespace

PgArrayWriter::PgArrayWriter(std::uint32_t element_oid) {
    put32(out_, 1);  // one dimension
    put32(out_, 0);  // has nulls: set by finish()
    put32(out_, element_oid);
    put32(out_, 0);  // length: set by finish()
    put32(out_, 1);  // lower bound
}

void PgArrayWriter::add(std::string_view bytes) {
    if (bytes.size() > 0x7fffffffU) throw std::length_error("array element over 2 GiB");
    put32(out_, static_cast<std::uint32_t>(bytes.size()));
    out_.append(bytes);
    ++count_;
}

void PgArrayWriter::add_null() {
    put32(out_, 0xffffffffU);  // length -1
    has_null_ = true;
    ++count_;
}

void PgArrayWriter::add_int64(std::int64_t value) {
    const auto v = static_cast<std::uint64_t>(value);
    put32(out_, 8);
    put32(out_, static_cast<std::uint32_t>(v >> 32));
    put32(out_, static_cast<std::uint32_t>(v & 0xffffffffU));
    ++count_;
}

void PgArrayWriter::add_int32(std::int32_t value) {
    put32(out_, 4);
    put32(out_, static_cast<std::uint32_t>(value));
    ++count_;
}

std::string PgArrayWriter::finish() {
    set32(out_, 4, has_null_ ? 1U : 0U);
    set32(out_, 12, count_);
    return std::move(out_);
}

}  // namespace pc::store
