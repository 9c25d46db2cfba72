// The extractor and the per-document resolver on short invented texts: the
// role grammar, aliases, qualified bodies, parts, dates, explain.
#include <catch2/catch.hpp>

#include "eventgraph/extractor.h"
#include "eventgraph/rules.h"
#include "testutil/builtin_pack.h"

using namespace eventgraph;

namespace {

DocAnnotation extract(const std::string& text, Explanation* ex = nullptr) { return egtest::extract_text(text, ex); }

const PersonAnn* person(const DocAnnotation& a, const std::string& name) {
  for (auto& p : a.persons)
    if (p.name == name) return &p;
  return nullptr;
}

const OrgAnn* org(const DocAnnotation& a, const std::string& name) {
  for (auto& o : a.organizations)
    if (o.name == name) return &o;
  return nullptr;
}

bool has_alias(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("A bullet 'Name, Title at Org' gives a person, a role and a body", "[extractor]") {
  auto a = extract("Speakers\n\n* Ana Kovač, Head of Policy at the Nordic Digital Institute,\n");
  const PersonAnn* p = person(a, "Ana Kovač");
  REQUIRE(p);
  REQUIRE(p->roles.size() == 1);
  CHECK(*p->roles[0].title == "Head of Policy");
  CHECK(*p->roles[0].org == "Nordic Digital Institute");
  CHECK(org(a, "Nordic Digital Institute"));
  CHECK(p->event_role == "speaker");
}

TEST_CASE("Titles joined by 'and', sub-units kept in the title, 'of Country' roles", "[extractor]") {
  auto a = extract(
      "* Lea Moreau, Lecturer at the University of Lyon and President of Women4Tech France, and\n"
      "* Omar Haddad, Head of Network Security Unit of ENISA,\n"
      "* Piet de Vries, Cyber Ambassador of the Netherlands,\n");
  const PersonAnn* lea = person(a, "Lea Moreau");
  REQUIRE(lea);
  REQUIRE(lea->roles.size() == 2);
  CHECK(*lea->roles[0].title == "Lecturer");
  CHECK(*lea->roles[0].org == "University of Lyon");
  CHECK(*lea->roles[1].title == "President");
  CHECK(*lea->roles[1].org == "Women4Tech France");
  const PersonAnn* omar = person(a, "Omar Haddad");
  REQUIRE(omar);
  REQUIRE(omar->roles.size() == 1);
  CHECK(*omar->roles[0].title == "Head of Network Security Unit");
  CHECK(*omar->roles[0].org == "ENISA");
  const PersonAnn* piet = person(a, "Piet de Vries");
  REQUIRE(piet);
  REQUIRE(piet->roles.size() == 1);
  CHECK(*piet->roles[0].title == "Cyber Ambassador");
  CHECK(piet->roles[0].org_is_place);
}

TEST_CASE("Resolver: acronym aliases, surnames, qualified bodies, case and diacritics", "[extractor]") {
  auto a = extract(
      "The forum was organised by the Baltic Cyber Resilience Centre (BCRC) in Riga.\n"
      "The panel was moderated by Dr Jana Novák, Director of the BCRC.\n"
      "Later, Novák thanked the French Ministry for Europe and Foreign Affairs.\n"
      "* Paul Girard, Policy Officer at the Cyber Unit of the MFEA of France\n"
      "JANA NOVAK closed the day.\n");
  const OrgAnn* centre = org(a, "Baltic Cyber Resilience Centre");
  REQUIRE(centre);
  CHECK(has_alias(centre->aliases, "BCRC"));
  const PersonAnn* jana = person(a, "Jana Novák");
  REQUIRE(jana);
  CHECK(has_alias(jana->aliases, "Novák"));
  CHECK(jana->event_role == "moderator");
  REQUIRE(jana->roles.size() == 1);
  CHECK(*jana->roles[0].org == "Baltic Cyber Resilience Centre");
  int janas = 0;
  for (auto& p : a.persons) janas += p.name.find("Nov") != std::string::npos || p.name.find("NOV") != std::string::npos;
  CHECK(janas == 1);  // "JANA NOVAK" folds to the same person
  const OrgAnn* mfea = org(a, "Ministry for Europe and Foreign Affairs");
  REQUIRE(mfea);
  CHECK(has_alias(mfea->aliases, "French Ministry for Europe and Foreign Affairs"));
  CHECK(has_alias(mfea->aliases, "MFEA of France"));
  const PersonAnn* paul = person(a, "Paul Girard");
  REQUIRE(paul);
  REQUIRE(paul->roles.size() == 1);
  CHECK(*paul->roles[0].org == "Ministry for Europe and Foreign Affairs");
  REQUIRE(a.event);
  CHECK(a.event->organizers == std::vector<std::string>{"Baltic Cyber Resilience Centre"});
}

TEST_CASE("Event: heading title, date range, place, online", "[extractor]") {
  auto a = extract("Regional Workshop on Digital Trade\n\n6-10 December 2021\n\nNairobi, Kenya\n\nThe workshop gathered experts.\n");
  REQUIRE(a.event);
  CHECK(a.event->title == "Regional Workshop on Digital Trade");
  CHECK(*a.event->start == "2021-12-06");
  CHECK(*a.event->end == "2021-12-10");
  CHECK(a.event->places == std::vector<std::string>{"Nairobi", "Kenya"});
  auto b = extract("WEBINAR: Data flows after the pandemic.\n\n2nd March 2021\n\nOnline\n");
  REQUIRE(b.event);
  CHECK(b.event->title == "Data flows after the pandemic");
  CHECK(*b.event->start == "2021-03-02");
  CHECK(b.event->places == std::vector<std::string>{"Online"});
}

TEST_CASE("Names are not taken from bodies, headings or titles", "[extractor]") {
  auto a = extract("Event description\n\nThe Global Forum on Digital Training (GFDT) met. Policy Officer said hello.\n");
  for (auto& p : a.persons) FAIL_CHECK("unexpected person " << p.name);
}

TEST_CASE("explain records every span with its rule and the resolver's decision", "[extractor]") {
  Explanation ex;
  extract("* Ana Kovač, Head of Policy at the Nordic Digital Institute\n", &ex);
  bool person = false, role = false;
  for (auto& s : ex.spans) {
    CHECK_FALSE(s.rule.empty());
    CHECK_FALSE(s.note.empty());
    if (s.type == "Person" && s.text == "Ana Kovač" && s.note == "kept") person = true;
    if (s.type == "Role" && s.text == "Head of Policy") role = true;
  }
  CHECK(person);
  CHECK(role);
}
