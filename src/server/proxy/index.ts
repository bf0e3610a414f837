// PROXY protocol v1 and v2 (HAProxy proxy-protocol.txt), receiving side: header parser, trusted sources, socket intake.
export { ProxyHeaderParser } from './proxy-header-parser';
export type { ProxyHeaderParserOptions, ProxyParse } from './proxy-header-parser';
export { TrustedProxies } from './trusted-proxies';
export { acceptProxied } from './accept-proxied';
export type { AcceptProxiedOptions, ProxiedConnection } from './accept-proxied';
export type { ProxyCommand, ProxyEndpoint, ProxyFamily, ProxyHeader, ProxySsl, ProxyTlv, ProxyTlvs } from './header';
