import { NetworkService, type NetworkDeps } from './service.js'

export { NetworkService }

/** Networks with discussions (docs/networks.md). */
export function buildNetworks(deps: NetworkDeps): NetworkService {
  return new NetworkService(deps)
}
