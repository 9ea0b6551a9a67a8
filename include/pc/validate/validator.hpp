// Builds a ValidationReport from a collection's lines, streaming (memory grows with the number
// of ticks, not with their size).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pc/record/collection_reader.hpp"
#include "pc/validate/report.hpp"

namespace pc::validate {

struct ValidateOptions {
    std::size_t max_examples = 20;          // examples kept per kind of finding
    std::optional<std::int64_t> frequency;  // seconds; measured (median interval) when empty
};

class CollectionValidator {
public:
    explicit CollectionValidator(ValidateOptions options = {});
    ~CollectionValidator();
    CollectionValidator(const CollectionValidator&) = delete;
    CollectionValidator& operator=(const CollectionValidator&) = delete;

    // Feeds the next line as CollectionReader returns it.
    void add(const record::ReadItem& item);
    // Completes the report (gaps and frequency need every tick). Call once.
    ValidationReport finish(std::uint64_t bytes_read);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads `path` ("-" = stdin, gzip transparent) and validates it. Throws UserError when the
// file cannot be opened or read.
ValidationReport validate_collection(const std::string& path, const ValidateOptions& options);

}  // namespace pc::validate
