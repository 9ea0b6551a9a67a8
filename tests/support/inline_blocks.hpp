// The inline scripts and styles of an HTML page, as a browser's Content-Security-Policy sees
// them: the text between <script> (not a data block: type application/json) or <style> and its
// closing tag; and whether the page has attributes that a policy without 'unsafe-inline' refuses
// (on...= event handlers, style=).
#pragma once

#include <cctype>
#include <string>
#include <vector>

namespace pc::test {

struct InlineBlock {
    bool script = false;  // else a style
    std::string text;
};

inline std::vector<InlineBlock> inline_blocks(const std::string& html) {
    std::vector<InlineBlock> out;
    for (const char* tag : {"script", "style"}) {
        const std::string open = std::string("<") + tag;
        const std::string close = std::string("</") + tag + ">";
        for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
            const char after = at + open.size() < html.size() ? html[at + open.size()] : '\0';
            if (after != '>' && after != ' ') continue;
            const auto head_end = html.find('>', at);
            const std::string head = html.substr(at, head_end - at);
            if (head.find("application/json") != std::string::npos) continue;
            const auto end = html.find(close, head_end);
            out.push_back(
                {tag == std::string("script"), html.substr(head_end + 1, end - head_end - 1)});
        }
    }
    return out;
}

// The first attribute (in tags, not in script or style text) that needs 'unsafe-inline':
// " onclick=", " style=" ...; empty when none.
inline std::string inline_attribute(const std::string& html) {
    std::string text;  // the page without the text of its scripts and styles
    std::size_t from = 0;
    for (;;) {
        const auto s1 = html.find("<script", from), s2 = html.find("<style", from);
        const auto open = std::min(s1, s2);
        text += html.substr(from, open == std::string::npos ? std::string::npos : open - from);
        if (open == std::string::npos) break;
        const auto close = html.find(open == s1 ? "</script>" : "</style>", open);
        if (close == std::string::npos) break;
        from = close;
    }
    for (std::size_t i = 0; i + 4 < text.size(); ++i) {
        if (!std::isspace(static_cast<unsigned char>(text[i]))) continue;
        std::size_t j = i + 1;
        while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
        if (j >= text.size() || text[j] != '=') continue;
        std::string name = text.substr(i + 1, j - i - 1);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "style" || (name.size() > 2 && name.rfind("on", 0) == 0)) return name;
    }
    return {};
}

}  // namespace pc::test
