// The simulator's only door into the system: the public HTTP API, over keep-alive connections.
import http from 'node:http';

export class ApiClient {
  private readonly agent: http.Agent;
  token: string | null = null;

  /** `maxSockets`: connections kept open to the server (a load generator wants more than a browser). */
  constructor(
    readonly baseUrl: string,
    opts: { maxSockets?: number } = {},
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
  }

  async login(username: string, password: string): Promise<void> {
    const r = await this.request<{ token: string }>('POST', '/api/auth/login', { username, password });
    this.token = r.token;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** Resolves with status and body; never throws for HTTP errors (the caller decides). */
  raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            ...(payload
              ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) }
              : {}),
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* plain text */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.raw(method, path, body);
    if (r.status >= 400) {
      const msg = (r.body as { error?: string } | undefined)?.error ?? String(r.body);
      throw new ApiRequestError(r.status, `${method} ${path} → ${r.status}: ${msg}`);
    }
    return r.body as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
