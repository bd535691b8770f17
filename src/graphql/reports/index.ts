// The reporting half of the Admin API (REPORTS.md): usage, cost, Claude Code usage, rate limits.
import './messages-usage.js';
import './cost.js';
import './claude-code.js';
import './rate-limits.js';
