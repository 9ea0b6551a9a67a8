#include "pc/process/options.hpp"

#include "pc/core/error.hpp"

namespace pc::process {

Mode parse_mode(std::string_view value) {
    if (value.empty() || value == "none") return Mode::standard;
    if (value == "perfcollector2") return Mode::compat;
    throw core::UserError(
        "unknown compat mode '" + std::string(value) +
        "'; use --compat perfcollector2 (PCR_COMPAT=perfcollector2) or leave it unset");
}

Formats parse_formats(std::string_view value) {
    Formats f{false, false};
    std::size_t pos = 0;
    while (pos <= value.size()) {
        std::size_t comma = value.find(',', pos);
        if (comma == std::string_view::npos) comma = value.size();
        std::string_view item = value.substr(pos, comma - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "sar") {
            f.sar = true;
        } else if (item == "wide") {
            f.wide = true;
        } else if (!item.empty()) {
            throw core::UserError(
                "unknown output format '" + std::string(item) +
                "' in --formats/PCR_FORMATS; use a comma-separated list of sar, wide");
        }
        pos = comma + 1;
    }
    if (!f.sar && !f.wide) {
        throw core::UserError(
            "no output format selected; set --formats/PCR_FORMATS to sar, wide or sar,wide");
    }
    return f;
}

std::string machine_id_from_path(std::string_view collection) {
    if (collection == "-") return "stdin";
    std::string name = std::filesystem::path(collection).filename().string();
    for (std::string_view ext : {".gz", ".json", ".jsonl"}) {
        if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
    }
    return name;
}

}  // namespace pc::process
