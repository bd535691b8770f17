import { builder } from './builder.js';
import './scalars.js';
import './node.js';
import './organization.js';
import './user.js';
import './invite.js';
import './workspace.js';
import './workspace-member.js';
import './api-key.js';
import './rate-limit.js';
import './reports/index.js';

/** The gateway's client schema, assembled from one file per type. */
export const schema = builder.toSchema();
