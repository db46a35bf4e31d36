import type { Account, AccountEvent } from '../../domain/consultation/account.js';
import { findProduct, type Product } from '../../domain/consultation/catalogue.js';
import {
  type ConsultationCommand,
  type ConsultationState,
  consultationDecider,
  consultationStream,
} from '../../domain/consultation/consultation.js';
import { DomainError, fold } from '../../domain/decider.js';
import type { EventStore, RecordedEvent } from '../../eventstore/types.js';
import type { DocumentStore } from '../../integrations/documents/port.js';
import type { PaymentGateway } from '../../integrations/payments/port.js';
import type { Clock } from '../../platform/clock.js';
import { newUuid } from '../../platform/ids.js';
import type { SqlPool } from '../../platform/sql.js';
import { createUkProducts } from '../catalogue/ukProducts.js';
import { createCommandHandler } from '../commandHandler.js';
import { linkParcel } from '../parcels.js';
import { createStreamCache, readCurrent } from '../streamCache.js';
import { loadAccount, recordAccountFact } from './account.js';
import type { StockCommands } from './stock.js';

export type ConsultationCommandsDeps = {
  store: EventStore;
  pool: SqlPool;
  clock: Clock;
  documents: DocumentStore;
  payments: PaymentGateway;
  stock: StockCommands;
  linkSecret: string;
  /** Where patients reach the web front end, for the links in checkout return URLs. */
  publicUrl: string;
};

export type Actor = { actor: string; correlationId?: string };
export type CommandMeta = Actor & { commandId?: string; causationId?: string | null };

/**
 * What every part of the consultation command service shares: running one domain command on a
 * consultation's stream, reading a consultation back, and its account facts.
 */
export const createConsultationCore = (deps: ConsultationCommandsDeps) => {
  // A process manager loads a consultation, then commands it: the command decides on what was loaded.
  const cache = createStreamCache();
  const handle = createCommandHandler(deps.store, consultationDecider, { clock: deps.clock, cache });
  const now = () => deps.clock.now().toISOString();

  const execute = async (consultationId: string, command: ConsultationCommand, meta: CommandMeta) => {
    if (command.type === 'RecordShipment')
      await linkParcel(
        deps.store,
        deps.clock,
        { trackingNumber: command.trackingNumber, streamName: consultationStream(consultationId) },
        { ...meta, correlationId: meta.correlationId ?? consultationId },
      );
    return handle({
      commandId: meta.commandId ?? newUuid(),
      streamName: consultationStream(consultationId),
      command,
      actor: meta.actor,
      correlationId: meta.correlationId ?? consultationId,
      causationId: meta.causationId,
    });
  };

  const history = (consultationId: string): Promise<readonly RecordedEvent[]> =>
    readCurrent(deps.store, cache, consultationStream(consultationId));

  const load = async (consultationId: string): Promise<ConsultationState> =>
    fold(consultationDecider, (await history(consultationId)) as never);

  const requireConsultation = async (consultationId: string) => {
    const state = await load(consultationId);
    if (state.status === 'none') {
      throw new DomainError('not_found', 'CONSULTATION_NOT_FOUND', `no consultation ${consultationId}`);
    }
    return state;
  };

  /** The catalogue entry of the consultation's product, with the questionnaire it was started on. */
  const productFor = (state: ConsultationState): Product => {
    const product = state.product && findProduct(state.product.productId);
    if (!product)
      throw new DomainError('not_found', 'PRODUCT_NOT_FOUND', 'the product is no longer in the catalogue');
    return product;
  };

  /**
   * The product on the terms the admin last set (price, pack size, availability): what a new
   * consultation or a plan being chosen now is priced on. A consultation already priced keeps its price.
   */
  const products = createUkProducts({ store: deps.store, clock: deps.clock });
  const currentProduct = async (productId: string): Promise<Product> => {
    const product = await products.current(productId);
    if (!product) throw new DomainError('not_found', 'PRODUCT_NOT_FOUND', `no product ${productId}`);
    return product;
  };

  const account = (consultationId: string): Promise<Account> => loadAccount(deps.store, consultationId);

  const recordFact = (
    consultationId: string,
    event: AccountEvent,
    meta: {
      actor: string;
      idParts: readonly (string | number)[];
      causationId?: string | null;
      correlationId?: string;
    },
  ) => recordAccountFact(deps.store, deps.clock, consultationId, event, meta);

  return {
    deps,
    now,
    execute,
    history,
    load,
    requireConsultation,
    productFor,
    currentProduct,
    account,
    recordFact,
  };
};

export type ConsultationCore = ReturnType<typeof createConsultationCore>;
