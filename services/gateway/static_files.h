#pragma once
// The web pages: files of one directory (services/gateway/web/ by default), GET and HEAD only, with
// their content type, an ETag, and caching that keeps pages fresh (HTML revalidated every time) while
// assets are kept for an hour. Paths never leave the directory.
#include <string>

#include "services/gateway/http_types.h"

namespace relais::gateway {

Reply ServeStatic(const std::string& root, const Request& request);
std::string ContentTypeFor(const std::string& path);

}  // namespace relais::gateway
