import { describe, expect, it } from 'vitest';
import groupAt from './__fixtures__/group-at.json';
import picture from './__fixtures__/picture.json';
import textOneOnOne from './__fixtures__/text-1on1.json';
import { normalizeDingTalkMessage } from './normalize-dingtalk-message';

const now = () => 1;

describe('normalizeDingTalkMessage', () => {
  it('a 1:1 text: the chat is the person staff id, the sender the app-scoped senderId, the session webhook kept', () => {
    expect(normalizeDingTalkMessage(textOneOnOne, now)).toEqual({
      message: {
        channel: 'dingtalk',
        chat: { id: 'manager1234', isGroup: false, name: '张三' },
        platformMessageId: 'msgSsxQ0f2hZ7b3m5VfO6Q9kXA==',
        sender: { id: '$:LWCP_v1:$9sJtRtHqGCYz1rLfjd6b1A==', name: '张三', isBot: false },
        text: '你好，帮我看看今天的日程',
        mentionsBot: false,
        timestamp: 1767227400000,
      },
      route: { isGroup: false, sessionWebhook: { url: textOneOnOne.sessionWebhook, expiresAt: 1767232800000 } },
    });
  });

  it('a group @: mentionsBot from isInAtList, the leading @robot removed, markup characters kept', () => {
    const inbound = normalizeDingTalkMessage(groupAt, now);
    expect(inbound?.message).toMatchObject({
      chat: { id: 'cid4Mwnfo9c3J8FXpUz8Q2k1A==', isGroup: true, name: '项目组' },
      text: '部署 *staging* 了吗？',
      mentionsBot: true,
    });
    expect(inbound?.route.isGroup).toBe(true);
  });

  it('keeps a leading @ of another person (the robot is not the only one mentioned)', () => {
    const both = {
      ...groupAt,
      atUsers: [...groupAt.atUsers, { dingtalkId: '$:other', staffId: 'bob' }],
      text: { content: '@Bob @ngb look' },
    };
    expect(normalizeDingTalkMessage(both, now)?.message.text).toBe('@Bob @ngb look');
  });

  it('a picture: an image attachment whose reference is the downloadCode', () => {
    expect(normalizeDingTalkMessage(picture, now)?.message).toMatchObject({
      text: '',
      attachments: [{ kind: 'image', reference: picture.content.downloadCode }],
    });
  });

  it('a file: its name and a MIME type from the extension; richText: its text and pictures', () => {
    const file = { ...textOneOnOne, msgtype: 'file', content: { downloadCode: 'd1', fileName: 'report.PDF' } };
    expect(normalizeDingTalkMessage(file, now)?.message.attachments).toEqual([
      { kind: 'file', reference: 'd1', name: 'report.PDF', mimeType: 'application/pdf' },
    ]);
    const rich = {
      ...textOneOnOne,
      msgtype: 'richText',
      content: { richText: [{ text: 'see ' }, { type: 'picture', downloadCode: 'p1' }, { text: 'this' }] },
    };
    expect(normalizeDingTalkMessage(rich, now)?.message).toMatchObject({
      text: 'see this',
      attachments: [{ kind: 'image', reference: 'p1' }],
    });
  });

  it('refuses payloads without the fields every robot message has, and kinds it cannot read', () => {
    expect(normalizeDingTalkMessage({ ...textOneOnOne, msgId: undefined }, now)).toBeUndefined();
    expect(normalizeDingTalkMessage({ ...textOneOnOne, senderId: 7 }, now)).toBeUndefined();
    expect(normalizeDingTalkMessage({ ...textOneOnOne, msgtype: 'interactiveCard' }, now)).toBeUndefined();
    expect(normalizeDingTalkMessage('not an object', now)).toBeUndefined();
  });
});
