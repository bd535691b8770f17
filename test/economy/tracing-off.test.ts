import { ProxyTracerProvider } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { tracingRegistered } from '../../src/app/plugins/metrics.js';

/**
 * The operation-span plugin walks every request's document and builds its spans; with no tracer
 * provider registered those spans go nowhere, so the gateway leaves the plugin out.
 */
describe('tracingRegistered', () => {
  it('is false for the global proxy before a provider is registered', () => {
    expect(tracingRegistered(new ProxyTracerProvider())).toBe(false);
  });

  it('is true once the proxy delegates to a registered provider, or for a provider itself', () => {
    const proxy = new ProxyTracerProvider();
    proxy.setDelegate(new NodeTracerProvider());
    expect(tracingRegistered(proxy)).toBe(true);
    expect(tracingRegistered(new NodeTracerProvider())).toBe(true);
  });
});
