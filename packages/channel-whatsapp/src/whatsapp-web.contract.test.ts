import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createWhatsAppWebHarness } from './testing/whatsapp-web-harness';

describeChannelContract('whatsapp (Web, through a recording stand-in for the Baileys socket)', createWhatsAppWebHarness());
