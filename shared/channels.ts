// The channel tree flattened into lookups: path validation, breadcrumbs and list membership.
import { type ChannelConfig, type Locale, type SiteConfig, siteConfig } from './site-config.ts';

export interface Channel {
  /** Full path without slashes at either end, e.g. `focus/public-welfare`. */
  readonly path: string;
  readonly name: ChannelConfig['name'];
  /** Ancestors first, this channel last. */
  readonly trail: readonly Channel[];
  readonly children: readonly Channel[];
}

export interface ChannelIndex {
  readonly all: readonly Channel[];
  readonly roots: readonly Channel[];
  get(path: string): Channel | undefined;
}

export function indexChannels(config: SiteConfig = siteConfig): ChannelIndex {
  const byPath = new Map<string, Channel>();
  const build = (node: ChannelConfig, parentTrail: readonly Channel[], parentPath: string): Channel => {
    const path = parentPath ? `${parentPath}/${node.slug}` : node.slug;
    const children: Channel[] = [];
    const channel: Channel = { path, name: node.name, trail: [], children };
    const trail = [...parentTrail, channel];
    (channel as { trail: readonly Channel[] }).trail = trail;
    byPath.set(path, channel);
    for (const child of node.children ?? []) children.push(build(child, trail, path));
    return channel;
  };
  const roots = config.channels.map((c) => build(c, [], ''));
  return { all: [...byPath.values()], roots, get: (path) => byPath.get(path) };
}

export const channels = indexChannels();

export function channelName(channel: Channel, locale: Locale): string {
  return channel.name[locale] ?? channel.name['zh-CN'];
}

/** Every channel list an article in `path` appears on: the channel itself and each ancestor. */
export function listsContaining(path: string, index: ChannelIndex = channels): string[] {
  const channel = index.get(path);
  return channel ? channel.trail.map((c) => c.path) : [];
}
