import { describe, expect, it, vi } from 'vitest';
import { createGateway } from '../../src/app/gateway.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { freshDatabase, type Database } from '../../src/db/database.js';

describe("the gateway's database", () => {
  it('is opened once on first use, and tried again after an open that failed', async () => {
    const database = await freshDatabase();
    const open = vi
      .fn<() => Promise<Database>>()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
      .mockResolvedValue(database);
    const gateway = createGateway(
      { ...loadConfig({}), upstreamBaseUrl: 'http://127.0.0.1:9', adminKey: undefined },
      { logger: createLogger('silent'), database: open },
    );
    try {
      await expect(gateway.database()).rejects.toThrow('ECONNREFUSED');
      expect(await gateway.database()).toBe(database);
      expect(await gateway.database()).toBe(database);
      expect(open).toHaveBeenCalledTimes(2);
    } finally {
      await gateway.close();
      await database.close();
    }
  });
});
