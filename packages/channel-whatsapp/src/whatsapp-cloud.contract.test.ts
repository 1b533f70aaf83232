import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createWhatsAppCloudHarness } from './testing/whatsapp-cloud-harness';

describeChannelContract('whatsapp (Cloud API)', createWhatsAppCloudHarness());
