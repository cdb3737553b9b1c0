// Security headers. The CSP allows what MapLibre needs (blob: workers, data:/blob: images, inline
// style attributes it sets on markers) plus the basemap tile hosts the configuration names.
import helmet from 'helmet';
import type { RequestHandler } from 'express';

export function securityHeaders(extraTileOrigins: string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:', 'blob:', ...extraTileOrigins],
        'connect-src': ["'self'", 'ws:', 'wss:', ...extraTileOrigins],
        'style-src': ["'self'", "'unsafe-inline'"],
        'font-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'data:', 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
    // The dashboard is served over plain HTTP on county intranets as often as over HTTPS.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
