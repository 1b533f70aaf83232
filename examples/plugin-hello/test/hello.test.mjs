import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '@ngb/plugin-sdk';
import { setUpPlugin } from '@ngb/plugin-sdk/testing';
import plugin from '../index.mjs';

const address = { channel: 'web', chatId: 'me' };

test('signs every reply with the configured signature', async () => {
  const harness = await setUpPlugin(plugin, { config: { signature: 'the bot' } });
  const [sign] = harness.handlers('message:sending');
  assert.deepEqual(await sign({ address, message: { text: 'Hi', format: 'markdown' } }), {
    text: 'Hi\n\n— the bot',
    format: 'markdown',
  });
});

test('leaves replies alone without a signature', async () => {
  const harness = await setUpPlugin(plugin);
  assert.deepEqual(harness.handlers('message:sending'), []);
});

test('the hello tool greets with the configured greeting, on the host', async () => {
  const harness = await setUpPlugin(plugin, { config: { greeting: 'Howdy' } });
  const hello = harness.tool('hello');
  assert.equal(hello.where, 'host');
  assert.deepEqual(await hello.execute({ name: ' Ann ' }, {}), { output: 'Howdy, Ann!' });
  assert.deepEqual(await hello.execute({ name: '' }, {}), { output: 'pass a name', isError: true });
});

test('a config its schema refuses is refused, naming the key', async () => {
  await assert.rejects(setUpPlugin(plugin, { config: { greeting: '' } }), (error) => {
    assert.ok(ConfigError.isInstance(error));
    assert.equal(error.key, 'plugins.hello.greeting');
    assert.match(error.message, /must not be empty/);
    return true;
  });
});
