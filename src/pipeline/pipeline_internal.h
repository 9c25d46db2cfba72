// Internal helpers of the pipeline stage, shared with the CLI and tests.
#pragma once

#include <string>
#include <vector>

#include "eventgraph/pipeline.h"
#include "eventgraph/status.h"

namespace eventgraph {

// Resolver step names a pipeline may list, in their default order.
const std::vector<std::string>& known_resolver_steps();

// Parses pipeline JSON `content`; `path` names the file in messages and is
// the base for relative rule pack paths.
Status parse_pipeline(const std::string& path, const std::string& content, PipelineSpec* out);

}  // namespace eventgraph
