#pragma once
// Routes whose gRPC answer is a file: a message with `bytes content`, `string content_type` and
// `string filename` (relais.v1.ExportMonthlyReportResponse). The browser gets the file itself, not its
// JSON mapping (which would be base64): the bytes as the body, the file's Content-Type, and a
// Content-Disposition with its name, `inline` for HTML (printable from the browser; a link with the
// `download` attribute still saves it) and `attachment` for anything else.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "services/gateway/http_types.h"

namespace relais::gateway {

// The message has the three fields of a file, with their types.
bool IsFileMessage(const google::protobuf::Descriptor* type);

// The answer as the file it holds. A content type that is not a plain media type becomes
// application/octet-stream; the filename keeps only [A-Za-z0-9._-] (no header can be injected).
Reply FileReply(const google::protobuf::Message& answer);

// The policy of a file served by the API: its own inline styles and data: images, nothing else (no
// script, no request anywhere), and a sandbox, so a file opened in the browser cannot act as the user.
inline constexpr char kFileCsp[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; sandbox";

}  // namespace relais::gateway
