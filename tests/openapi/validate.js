// Validates an OpenAPI document with @apidevtools/swagger-parser (schema of the OpenAPI 3.0
// specification, and every $ref resolved). Usage: node validate.js <openapi.json>
// Exit 0 when valid; 1 with the validator's message otherwise.
'use strict';
const SwaggerParser = require('@apidevtools/swagger-parser');

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.js <openapi.json>');
  process.exit(2);
}
SwaggerParser.validate(file)
  .then((api) => {
    const paths = Object.keys(api.paths).length;
    let operations = 0;
    for (const item of Object.values(api.paths)) operations += Object.keys(item).length;
    console.log(`valid OpenAPI ${api.openapi}: ${paths} paths, ${operations} operations, ` +
                `${Object.keys(api.components.schemas).length} schemas`);
  })
  .catch((err) => {
    console.error(`invalid: ${err.message}`);
    process.exit(1);
  });
