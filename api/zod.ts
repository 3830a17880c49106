import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// zod 4 attaches methods when a schema is built, so `.openapi()` exists only on schemas built after
// this call: every API module takes `z` from here, never from 'zod' directly.
extendZodWithOpenApi(z);

export { z };
