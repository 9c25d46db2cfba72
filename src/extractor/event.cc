// Dates and the event's title.
//
// Date rules capture parts (day, month, year and, for ranges, day2, month2,
// year2); add_date() turns them into ISO dates: a missing year2/month2 is
// taken from the other end of the range ("6-10 December 2021"), a missing
// year from the nearest four-digit year before or after it in the document.
#include <cstdio>
#include <cstring>

#include "eventgraph/text.h"
#include "extractor/internal.h"

namespace eventgraph::detail {
namespace {

int month_number(std::string_view m) {
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string f = fold(m);
  if (f.size() < 3) {
    int n = 0;
    for (char c : f) { if (c < '0' || c > '9') return 0; n = n * 10 + (c - '0'); }
    return n >= 1 && n <= 12 ? n : 0;
  }
  if (f[0] >= '0' && f[0] <= '9') return 0;
  for (int i = 0; i < 12; ++i)
    if (f.compare(0, 3, kMonths[i]) == 0) return i + 1;
  return 0;
}

int number(std::string_view s) {
  int n = 0;
  bool any = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') { n = n * 10 + (c - '0'); any = true; }
    else if (any) break;
  }
  return any ? n : -1;
}

std::string iso(int y, int m, int d) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// The nearest plausible year written near `pos` (for "2nd March" + a year elsewhere).
int nearby_year(const DocState& st, uint32_t pos) {
  int best = -1;
  uint32_t best_dist = 0xFFFFFFFF;
  for (const Token& t : st.tokens) {
    if (t.end - t.begin != 4) continue;
    std::string_view w = st.slice(t.begin, t.end);
    if (!(w[0] == '1' || w[0] == '2') || number(w) < 1900 || number(w) > 2100) continue;
    if (w.find_first_not_of("0123456789") != std::string_view::npos) continue;
    uint32_t d = t.begin > pos ? t.begin - pos : pos - t.begin;
    if (d < best_dist) { best_dist = d; best = number(w); }
  }
  return best;
}

}  // namespace

void add_date(DocState& st, const CompiledRule& r, int priority, const std::vector<std::string_view>& caps,
              std::string_view whole) {
  auto cap = [&](CaptureType t) { return caps[int(t)]; };
  uint32_t b = uint32_t(whole.data() - st.text.data());
  int d1 = cap(CaptureType::kDay).data() ? number(cap(CaptureType::kDay)) : -1;
  int m1 = cap(CaptureType::kMonth).data() ? month_number(cap(CaptureType::kMonth)) : 0;
  int y1 = cap(CaptureType::kYear).data() ? number(cap(CaptureType::kYear)) : -1;
  int d2 = cap(CaptureType::kDay2).data() ? number(cap(CaptureType::kDay2)) : -1;
  int m2 = cap(CaptureType::kMonth2).data() ? month_number(cap(CaptureType::kMonth2)) : 0;
  int y2 = cap(CaptureType::kYear2).data() ? number(cap(CaptureType::kYear2)) : -1;
  if (y1 >= 0 && y1 < 100) y1 += 2000;
  if (y2 >= 0 && y2 < 100) y2 += 2000;
  if (m1 == 0 && m2 == 0) return;
  if (m1 == 0) m1 = m2;
  if (d1 < 0) return;
  bool range = d2 >= 0 || m2 > 0 || y2 >= 0;
  if (range) {
    if (m2 == 0) m2 = m1;
    if (d2 < 0) return;
    if (y1 < 0) y1 = y2;
    if (y2 < 0) y2 = y1;
  }
  int prio = priority;
  if (y1 < 0) {
    y1 = nearby_year(st, b);
    if (y1 < 0) return;
    if (range && y2 < 0) y2 = y1;
    prio -= 5;  // a year taken from elsewhere is weaker evidence
  }
  DateCand c;
  c.start = iso(y1, m1, d1);
  c.end = range ? iso(y2, m2, d2) : c.start;
  if (c.start.empty() || c.end.empty()) return;
  c.b = b;
  c.e = b + uint32_t(whole.size());
  c.priority = prio;
  c.rule_id = r.id;
  st.dates.push_back(c);
}

}  // namespace eventgraph::detail
