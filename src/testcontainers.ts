import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { ControlClient } from './control-client.js';

/** The port the image listens on (its PORT). */
const PORT = 4010;

/**
 * The mock's image as a Testcontainers container (`provider-mock/testcontainers`; the
 * `testcontainers` package is a peer dependency): started once its HEALTHCHECK reports healthy.
 *
 *   const mock = await new ProviderMockContainer().withSeed(7).withAdminToken('secret').start();
 *   fetch(`${mock.baseUrl}/v3/users`, …); await mock.control.reset(); await mock.stop();
 *
 * Every other setting goes in by environment, as with `docker run -e`: `.withEnvironment({ MOCK_CORS: '*' })`.
 */
export class ProviderMockContainer extends GenericContainer {
  /** `image`: what `docker build -t provider-mock .` makes, unless another name or tag is given. */
  constructor(image = 'provider-mock') {
    super(image);
    this.withExposedPorts(PORT).withWaitStrategy(Wait.forHealthCheck());
  }

  /** SEED: the same seed gives the same data. */
  withSeed(seed: number): this {
    return this.withEnvironment({ SEED: String(seed) });
  }

  /** MOCK_ADMIN_TOKEN: the control plane asks for it; the started container's `control` sends it. */
  withAdminToken(token: string): this {
    return this.withEnvironment({ MOCK_ADMIN_TOKEN: token });
  }

  /** MOCK_USERS: users generated per provider beside the documented ones. */
  withUsers(count: number): this {
    return this.withEnvironment({ MOCK_USERS: String(count) });
  }

  override async start(): Promise<StartedProviderMockContainer> {
    return new StartedProviderMockContainer(await super.start(), this.environment.MOCK_ADMIN_TOKEN);
  }
}

/** A running mock: its address on this host and a typed client of its control plane. */
export class StartedProviderMockContainer extends AbstractStartedContainer {
  /** `http://<host>:<port>`: give it to your client in place of the provider's own address. */
  readonly baseUrl: string;
  readonly control: ControlClient;

  constructor(started: StartedTestContainer, adminToken?: string) {
    super(started);
    this.baseUrl = `http://${started.getHost()}:${started.getMappedPort(PORT)}`;
    this.control = new ControlClient(this.baseUrl, adminToken);
  }
}
