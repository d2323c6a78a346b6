/**
 * The docs page's credential picker, run in the browser after swagger-ui's own scripts: it adds a
 * plugin to the page's configuration that, once the document is loaded, shows one list per security
 * scheme that carries `x-demo-credentials` and authorizes the chosen credential (the first at once),
 * so that "Try it out" → "Execute" works without a trip to "Authorize".
 */
export const DEMO_CREDENTIALS_SCRIPT = `(function () {
  'use strict';
  var rendered = false;

  function shown(value) {
    return typeof value === 'string' ? value : value.username + (value.password ? ':' + value.password : '');
  }

  function authorize(system, name, scheme, credential) {
    if (!credential) return system.authActions.logout([name]);
    var auth = {};
    auth[name] = { name: name, schema: scheme, value: credential.value };
    system.authActions.authorize(auth);
  }

  function picker(system, name, scheme) {
    var demo = scheme['x-demo-credentials'];
    var label = document.createElement('label');
    label.append(demo.provider + ' (' + demo.way + ')');
    var select = document.createElement('select');
    select.name = name;
    select.title = name;
    demo.credentials.forEach(function (credential, index) {
      select.add(new Option(credential.label + ': ' + shown(credential.value), String(index)));
    });
    select.add(new Option('none: send no credential', ''));
    select.addEventListener('change', function () {
      authorize(system, name, scheme, select.value === '' ? undefined : demo.credentials[Number(select.value)]);
    });
    label.append(select);
    authorize(system, name, scheme, demo.credentials[0]);
    return label;
  }

  function render(system) {
    var schemes = system.specSelectors.specJson().getIn(['components', 'securitySchemes']);
    var entries = schemes ? Object.entries(schemes.toJS()).filter(function (entry) { return entry[1]['x-demo-credentials']; }) : [];
    if (rendered || entries.length === 0) return;
    rendered = true;
    var wrapper = document.createElement('div');
    wrapper.className = 'wrapper';
    var title = document.createElement('h4');
    title.textContent = 'Demo credentials';
    var hint = document.createElement('p');
    hint.textContent = 'Requests sent from this page carry the credential chosen here for each provider (see also "Authorize").';
    wrapper.append(title, hint);
    entries.forEach(function (entry) { wrapper.append(picker(system, entry[0], entry[1])); });
    var panel = document.createElement('section');
    panel.id = 'demo-credentials';
    panel.className = 'swagger-ui';
    panel.append(wrapper);
    var root = document.getElementById('swagger-ui');
    root.parentNode.insertBefore(panel, root);
  }

  function demoCredentialsPlugin() {
    return {
      statePlugins: {
        spec: {
          wrapActions: {
            updateJsonSpec: function (original, system) {
              return function () {
                var result = original.apply(null, arguments);
                setTimeout(function () { render(system); }, 0);
                return result;
              };
            },
          },
        },
      },
    };
  }

  var createUi = window.SwaggerUIBundle;
  window.SwaggerUIBundle = Object.assign(function (config) {
    return createUi(Object.assign({}, config, { plugins: (config.plugins || []).concat([demoCredentialsPlugin]) }));
  }, createUi);
})();
`;

export const DEMO_CREDENTIALS_CSS = `#demo-credentials .wrapper { padding: 20px 20px 10px; }
#demo-credentials h4 { margin: 0 0 4px; font-size: 16px; }
#demo-credentials p { margin: 0 0 10px; font-size: 14px; }
#demo-credentials label { display: inline-flex; gap: 8px; align-items: center; margin: 0 24px 10px 0; font-weight: bold; font-size: 14px; }
#demo-credentials select { font-weight: normal; }
`;
