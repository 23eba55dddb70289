/**
 * The media types an image puller, store and unpacker must recognise: OCI image-spec and
 * Docker registry v2 (schema 2). Registries serve both families, and a client that leaves one
 * out of its Accept header gets 404 for OCI indexes or a down-converted schema1 manifest for
 * Docker images (runtime-recipe §2), so the Accept list lives here, next to the types.
 */

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerNondistributableTar: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableTarGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerTarGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  // Not in the Docker spec, but written by some tools (and accepted by containerd).
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerForeignLayerTarGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** Every manifest-like type a puller asks for, in one Accept header value (index first). */
export const MANIFEST_ACCEPT_TYPES: readonly string[] = [
  MediaTypes.ociIndex,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifestList,
  MediaTypes.dockerManifest,
];
export const MANIFEST_ACCEPT_HEADER = MANIFEST_ACCEPT_TYPES.join(', ');

/** An index (OCI) or manifest list (Docker): `manifests[]` with `platform`. */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList;
}

/** A single-platform manifest (OCI or Docker v2): `config` and `layers[]`. */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociManifest || mediaType === MediaTypes.dockerManifest;
}

export function isConfigMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociConfig || mediaType === MediaTypes.dockerConfig;
}

/**
 * How a layer blob is compressed, from its media type; undefined for a type that is not a
 * layer we can unpack (zstd is not supported: node:zlib on Node 20 has no zstd).
 */
export function layerCompression(mediaType: string): 'gzip' | 'none' | undefined {
  switch (mediaType) {
    case MediaTypes.ociLayerTarGzip:
    case MediaTypes.ociLayerNondistributableTarGzip:
    case MediaTypes.dockerLayerTarGzip:
    case MediaTypes.dockerForeignLayerTarGzip:
      return 'gzip';
    case MediaTypes.ociLayerTar:
    case MediaTypes.ociLayerNondistributableTar:
    case MediaTypes.dockerLayerTar:
      return 'none';
    default:
      return undefined;
  }
}
