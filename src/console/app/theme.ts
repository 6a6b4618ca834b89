import type { ThemeConfig } from 'antd';

/**
 * Ant Design's default theme with darker primary and secondary text colours: the defaults
 * (#1677ff under white text, 45 % black for secondary text) fall short of WCAG AA contrast,
 * which the browser tests check with axe.
 */
export const CONSOLE_THEME: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    // The hover and pressed shades are derived lighter, which puts a hovered primary button's
    // white text below AA (a button just clicked stays hovered): darker shades instead.
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLinkHover: '#003eb3',
    // Links take colorInfo (#1677ff) otherwise, which falls short of AA contrast on white.
    colorLink: '#0958d9',
    // The default error red (#ff4d4f) is 3.6:1 on white; form messages must be readable.
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  },
};
