// DocAnnotation: what the extractor and the per-document resolver read out of
// one document. It has the shape of the gold annotations
// (../shared/corpus/ANNOTATION.md) plus provenance, so that `eval` writes it
// as a prediction and the graph builder turns it into nodes and edges.
//
// All names are canonical forms (honorifics dropped, fullest form the text
// gives); every other surface form is in `aliases`. Offsets are byte offsets
// into the document's raw text (Document::text).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventgraph {

// Where a fact was seen: raw byte range and the id of the rule that fired.
struct Provenance {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string rule;
  bool operator==(const Provenance&) const = default;
};

struct RoleAnn {
  std::optional<std::string> title;  // job title as written, without the body
  std::optional<std::string> org;    // `name` of an OrgAnn or PlaceAnn of this annotation
  bool org_is_place = false;         // org names a place (a state), not an org
  Provenance prov;
};

struct PersonAnn {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<RoleAnn> roles;
  // "moderator", "speaker", "organiser", "participant" or "mentioned".
  std::string event_role = "mentioned";
  std::vector<Provenance> mentions;
};

struct OrgAnn {
  std::string name;  // the fullest form the text gives
  // The name the node id is made from when it differs from `name`: the
  // gazetteer's canonical name of a known body ("International Telecommunication
  // Union" for a text that only says "ITU"), so that documents naming one body
  // differently still meet in one node. Empty: use `name`.
  std::string id_name;
  std::vector<std::string> aliases;
  std::vector<Provenance> mentions;
};

struct PlaceAnn {
  std::string name;     // as the text writes it ("Republic of Estonia")
  std::string id_name;  // gazetteer canonical ("Estonia") when different; empty: use `name`
  std::string kind;  // "Country", "City", "Region" or "" when unknown
  std::vector<Provenance> mentions;
};

struct EventAnn {
  std::string title;
  std::optional<std::string> start;  // YYYY-MM-DD
  std::optional<std::string> end;
  std::vector<std::string> places;      // canonical place names, or "Online"
  std::vector<std::string> organizers;  // canonical organisation names
  Provenance prov;
};

struct DocAnnotation {
  std::string doc_id;
  std::string url;    // from JSONL attrs when given
  std::string title;  // from JSONL attrs when given
  std::optional<EventAnn> event;
  std::vector<PersonAnn> persons;
  std::vector<OrgAnn> organizations;
  std::vector<PlaceAnn> places;
  std::vector<std::string> topics;  // topic ids of the taxonomy
};

}  // namespace eventgraph
