/**
 * The default playbook the system ships with: the courseware's funnel (销售漏斗各阶段定义与行动标准)
 * as data. See /shared/spec/funnel-playbook.md. Change it by publishing a new version, never by
 * editing a version that events already refer to.
 */
import { GateCriterion, LabelledItem, NumberedItem, Playbook, PlaybookSettings } from './playbook';

const settings: PlaybookSettings = {
  assessmentVerdict: { minPositive: 4 },
  approvedGate: { minProbabilityExclusive: 50, maxDaysToExpectedClose: 90 },
};

const item = (id: string, en: string, zh: string): LabelledItem => ({ id, en, zh });

const numbered = (items: [string, string, string][]): NumberedItem[] =>
  items.map(([id, en, zh], i) => ({ id, number: i + 1, en, zh }));

const negotiationConditions = numbered([
  ['EXECUTIVE_MET', "Met the customer's chief executive, a senior manager or the ERP project head", '与老总或高级主管或ERP负责人见面沟通过'],
  ['KEY_NEEDS_CLEAR', "The customer's key needs and key evaluation items are clear", '客户的关键需求和关键评估项已清楚'],
  ['QUOTE_EXPLAINED', 'A quote is done, easy to read and explained', '报价已完成，清晰易懂并已讲解'],
  ['INTRODUCTION_AND_DEMOS_DONE', 'Company introduction, exchanges, demos and research are done', '公司介绍、交流、演示和调研已完成'],
  ['MAJOR_RISKS_RESOLVED', "The customer's major risk concerns are resolved", '客户关注的主要风险已解决'],
  [
    'SELECTION_CONCLUSION_REPORTED',
    "The customer's selection team has a concrete conclusion reported to (and annotated by) the chief executive",
    '客户选型小组已有具体结论并已向老总汇报（且有批示）',
  ],
  ['CONTRACT_TEMPLATE_PROVIDED', "A contract template was provided, or reviewed by the customer's legal counsel", '已提供合同范本，或已经客户法律顾问审阅'],
]);

const gate = (code: string, check: GateCriterion['check'], en: string, zh: string): GateCriterion => ({ code, check, en, zh });

const { minProbabilityExclusive: minProbability, maxDaysToExpectedClose: maxDays } = settings.approvedGate;

export const DEFAULT_PLAYBOOK: Playbook = deepFreeze({
  version: '2026.1',
  labels: { en: 'B2B enterprise software sales funnel', zh: '销售漏斗各阶段定义与行动标准' },
  stages: [
    {
      key: 'TARGET',
      labels: { en: 'Target customer', zh: '目标客户' },
      marker: { en: 'Our product can fit or satisfy the customer', zh: '产品能适应或满足客户' },
      characteristics: [],
      actions: [
        item('TARGET.CHOOSE_MARKET', 'Choose the target market', '选择目标市场'),
        item('TARGET.MINE_CUSTOMERS', 'Mine customers matching the target profile', '挖掘符合描述的目标客户群'),
        item('TARGET.SCREEN_TARGETS', 'Screen qualified target customers', '筛选合格的目标客户'),
      ],
    },
    {
      key: 'POTENTIAL',
      labels: { en: 'Potential customer', zh: '潜在客户' },
      marker: { en: 'There is a sales opportunity', zh: '有销售机会' },
      characteristics: [
        item('POTENTIAL.MANAGEMENT_NEED', 'Has a management need', '有管理需要'),
        item('POTENTIAL.GOOD_ECONOMIC_PERFORMANCE', 'Good economic performance', '经济效益好'),
        item('POTENTIAL.NO_SYSTEM_OR_POOR_RESULTS', 'Not using a system yet, or using one with poor results', '未使用或使用效果不佳'),
      ],
      actions: [
        item('POTENTIAL.PREPARE_VISIT', 'Prepare the visit', '做好拜访准备'),
        item('POTENTIAL.VISIT', 'Visit the customer', '拜访客户'),
        item('POTENTIAL.WIN_GOODWILL', "Win the customer's goodwill", '赢得客户好感'),
        item('POTENTIAL.COLLECT_PROFILE', 'Collect the full customer profile', '收集客户全貌信息'),
        item('POTENTIAL.UNCOVER_OPPORTUNITY', 'Summarise and uncover the potential opportunity', '总结并发掘潜在的销售机会'),
      ],
    },
    {
      key: 'INTENT',
      labels: { en: 'Intent customer', zh: '意向客户' },
      marker: { en: "Fits the product's application profile and has a need", zh: '符合产品应用特征；有需求' },
      characteristics: [
        item('INTENT.INTERESTED', 'Interested in our product or service', '对我们的产品/服务感兴趣'),
        item('INTENT.AGREES_TO_BUY', 'Agrees to buy rather than build', '认同外购'),
        item('INTENT.HAS_NEED', 'Has a need', '有需求'),
        item('INTENT.TALKING_TO_VENDORS', 'Is talking to vendors', '接触厂商'),
      ],
      actions: [
        item('INTENT.UNDERSTAND_PROBLEMS', "Understand the customer's difficulties, problems and their impact", '了解客户的困难、问题及其影响'),
        item('INTENT.EXPLORE_NEEDS', 'Explore needs', '挖掘需求'),
        item('INTENT.LEAD_TO_ACTION', 'Lead the customer to recognise the problem and act', '引导客户认识问题并采取行动'),
        item('INTENT.PERSUADE_FAB', 'Persuade interest (feature, advantage, benefit)', '用FAB（特征、优势、利益）激发兴趣'),
        item('INTENT.FIRST_ASSESSMENT', 'First opportunity assessment: is it real?', '第一次销售机会评估：是不是虚的？'),
      ],
    },
    {
      key: 'PROJECT',
      labels: { en: 'Project customer', zh: '立项客户' },
      marker: { en: 'The assessment meets our project requirements; a team is formed to follow it', zh: '评估符合项目要求；成立小组跟进' },
      characteristics: [
        item('PROJECT.RECOGNISES_COMPANY', 'Some recognition of our company', '对我公司有一定认可'),
        item('PROJECT.CLEAR_REQUIREMENTS', 'Clear requirements', '需求明确'),
        item('PROJECT.PRELIMINARY_BUDGET', 'A preliminary budget', '有初步预算'),
        item('PROJECT.CUSTOMER_PROJECT_TEAM', 'A customer project team or owner exists', '客户有项目小组或负责人'),
        item('PROJECT.TIMETABLE', 'A timetable exists', '有时间表'),
        item('PROJECT.THIRD_PARTIES', 'Third parties are involved', '有第三方介入'),
      ],
      actions: [
        item('PROJECT.CONFIRM_REQUIREMENTS', 'Confirm requirements', '确认需求'),
        item(
          'PROJECT.COLLECT_PROJECT_INFORMATION',
          'Collect project-initiation and key-person information (procurement timetable, evaluation criteria, buying roles)',
          '收集立项及关键人信息（采购时间表、评审内容、采购角色）',
        ),
        item('PROJECT.SECOND_ASSESSMENT', 'Second assessment: worth winning?', '第二次评估：值得赢吗？'),
        item('PROJECT.COMPETITIVE_ANALYSIS', 'Competitive analysis: can we compete? can we really win?', '竞争分析：能够竞争吗？真正赢的把握如何？'),
        item('PROJECT.SWOT', 'SWOT analysis', 'SWOT分析'),
        item('PROJECT.DECIDE_STRATEGY', 'Decide the competitive strategy and the decision-maker relationship strategy', '确定竞争策略和决策人关系策略'),
      ],
    },
    {
      key: 'APPROVED',
      labels: { en: 'Approved customer', zh: '认可客户' },
      marker: { en: "After the team's follow-up the customer basically approves", zh: '小组跟进后客户基本认可' },
      characteristics: [
        item('APPROVED.PRELIMINARY_APPROVAL', 'Preliminary approval of the product or solution', '对产品或方案初步认可'),
        item('APPROVED.SHORTLISTED', 'We are on the shortlist', '作为备选'),
        item('APPROVED.PRELIMINARY_QUOTE', 'A preliminary commercial quote', '初步商务报价'),
        item('APPROVED.LIKELY_TO_CLOSE', 'Probability of closing within the next 90 days exceeds 50%', '未来90天内成交可能超过50%'),
      ],
      actions: [
        item('APPROVED.ORGANISE_TEAM', 'Organise the project team and assign tasks', '组织项目小组并分配任务'),
        item('APPROVED.VISIT_SENIOR_LEADERS', "Visit the customer's senior leaders and win their trust", '拜访客户高层并赢得信任'),
        item('APPROVED.BENEFIT_ANALYSIS', 'Collect the solution and do a benefit analysis', '收集方案并做效益分析'),
        item('APPROVED.PROVE_SOLUTION', 'Show differentiation from competitors and prove the solution', '展示与竞争对手的差异并进行方案验证'),
      ],
    },
    {
      key: 'NEGOTIATION',
      labels: { en: 'Negotiation', zh: '谈判客户' },
      marker: { en: 'Confirmed as one of the main candidates', zh: '确定作为重要备选之一' },
      characteristics: [
        item('NEGOTIATION.RECOGNISES_COMPANY', 'Recognises our company', '认可我公司'),
        item('NEGOTIATION.MAIN_CANDIDATE', 'We are a main candidate', '我们是主要备选'),
        item('NEGOTIATION.SCHEDULE_FIXED', "The project's schedule (bid, negotiation, signing) is fixed", '项目进度（投标、谈判、签约）已确定'),
      ],
      actions: [
        item('NEGOTIATION.ANSWER_OBJECTIONS', 'Queue and answer objections, with demos as needed', '梳理并解答异议，必要时演示'),
        item('NEGOTIATION.FORMAL_QUOTE', 'Formal commercial quote', '正式商务报价'),
        item('NEGOTIATION.NEGOTIATE_TERMS', 'Negotiate contract terms', '谈判合同条款'),
        item('NEGOTIATION.CONTRACT_REVIEW', 'Contract review', '合同送审'),
      ],
    },
    {
      key: 'WON',
      labels: { en: 'Won', zh: '成交客户' },
      marker: { en: 'Contract signed, paid and delivered', zh: '完成签约、付款、交货' },
      characteristics: [
        item('WON.CONTRACT_SIGNED', 'Contract signed', '合同已签署'),
        item('WON.FIRST_PAYMENT_CONFIRMED', 'First payment received and confirmed by finance', '支付首期及相关款项并得到财务确认'),
        item('WON.ORDER_SHIPPED', 'Order placed and goods shipped', '已下单并发货'),
      ],
      actions: [
        item('WON.COLLECT_PAYMENT', 'Collect payment', '回收货款'),
        item('WON.ORDER_AND_SHIP', 'Order and ship', '下单并发货'),
        item('WON.PREPARE_HANDOVER', 'Prepare implementation and hand the project over', '准备实施并进行项目交接'),
      ],
    },
    {
      key: 'LOST',
      labels: { en: 'Lost', zh: '丢单' },
      marker: { en: 'The deal left the funnel, with a reason and, where known, the competitor that won', zh: '机会退出漏斗，记录原因及（如已知）赢单的竞争对手' },
      characteristics: [],
      actions: [],
    },
  ],
  gates: [
    {
      entering: 'POTENTIAL',
      criteria: [
        gate('POTENTIAL.VISIT_REVIEWED', { kind: 'VISIT_REVIEWED' }, 'At least one customer visit recorded with its review', '至少记录一次客户拜访及其拜访总结'),
        gate(
          'POTENTIAL.PROFILE_CHARACTERISTICS',
          { kind: 'PROFILE_CHARACTERISTICS_ANSWERED' },
          'A customer profile with the three potential-customer characteristics answered',
          '已记录客户全貌信息，并回答潜在客户的三项特征',
        ),
      ],
    },
    {
      entering: 'INTENT',
      criteria: [
        gate(
          'INTENT.PROBLEM_ANALYSED',
          { kind: 'PROBLEM_ANALYSED' },
          'At least one customer problem analysed: current state, difficulty, impact and benefit after improvement',
          '至少分析一个客户问题：现状、困难/问题、产生的影响、改进后的效益',
        ),
        gate('INTENT.CUSTOMER_INTEREST', { kind: 'CUSTOMER_INTERESTED' }, "The customer's interest in our product or service recorded", '已记录客户对我们产品/服务的兴趣'),
      ],
    },
    {
      entering: 'PROJECT',
      criteria: [
        gate('PROJECT.REAL_POSITIVE', { kind: 'ASSESSMENT_POSITIVE', assessment: 'REAL' }, 'An "is it real?" assessment with a positive verdict', '“销售机会是不是虚的？”评估结论为正面'),
        gate('PROJECT.CUSTOMER_PROJECT_OWNER', { kind: 'CUSTOMER_PROJECT_OWNER' }, 'A customer-side project owner or project team', '客户方有项目负责人或项目小组'),
        gate('PROJECT.PRELIMINARY_BUDGET', { kind: 'PRELIMINARY_BUDGET' }, 'A preliminary budget', '有初步预算'),
        gate('PROJECT.TIMETABLE', { kind: 'PROCUREMENT_TIMETABLE' }, 'A procurement timetable with at least one dated milestone', '有项目采购时间表（至少一个里程碑有日期）'),
      ],
    },
    {
      entering: 'APPROVED',
      criteria: [
        gate('APPROVED.WORTH_POSITIVE', { kind: 'ASSESSMENT_POSITIVE', assessment: 'WORTH' }, 'A "worth winning?" assessment with a positive verdict', '“值得赢吗？”评估结论为正面'),
        gate('APPROVED.COMPETE_SUBMITTED', { kind: 'ASSESSMENT_SUBMITTED', assessment: 'COMPETE' }, 'A "can we compete?" assessment submitted', '已提交“我们能够与其它厂家竞争吗？”评估'),
        gate('APPROVED.WIN_SUBMITTED', { kind: 'ASSESSMENT_SUBMITTED', assessment: 'WIN' }, 'A "can we really win?" assessment submitted', '已提交“我们真正赢的把握如何？”评估'),
        gate('APPROVED.ECONOMIC_BUYER_IDENTIFIED', { kind: 'BUYING_ROLE_FILLED', role: 'ECONOMIC_BUYER' }, 'The economic buyer identified', '已确定经济效益决策人'),
        gate('APPROVED.COACH_IDENTIFIED', { kind: 'BUYING_ROLE_FILLED', role: 'COACH' }, 'At least one coach identified', '至少已发展一位连络沟通人（教练）'),
        gate('APPROVED.PRELIMINARY_QUOTE', { kind: 'QUOTE_SUBMITTED' }, 'A preliminary commercial quote submitted', '已提交初步商务报价'),
        gate('APPROVED.FORECAST_PROBABILITY', { kind: 'FORECAST_PROBABILITY' }, `A forecast with a probability above ${minProbability}%`, `预测成交可能性超过${minProbability}%`),
        gate(
          'APPROVED.CLOSE_WITHIN_90_DAYS',
          { kind: 'EXPECTED_CLOSE_WITHIN' },
          `An expected close date at most ${maxDays} days away`,
          `预计成交日期在${maxDays}天以内`,
        ),
      ],
    },
    {
      entering: 'NEGOTIATION',
      criteria: negotiationConditions.map((c) =>
        gate(`NEGOTIATION.${c.id}`, { kind: 'NEGOTIATION_CONDITION_CONFIRMED', conditionId: c.id }, c.en, c.zh),
      ),
    },
    {
      entering: 'WON',
      criteria: [
        gate('WON.CONTRACT_SIGNED', { kind: 'CONTRACT_SIGNED' }, 'Contract signed', '合同已签署'),
        gate('WON.PAYMENT_CONFIRMED', { kind: 'PAYMENT_CONFIRMED' }, 'First payment confirmed by finance', '首期款已得到财务确认'),
        gate('WON.ORDER_SHIPPED', { kind: 'ORDER_SHIPPED' }, 'Order shipped', '已下单并发货'),
      ],
    },
  ],
  assessments: [
    {
      kind: 'REAL',
      labels: { en: 'Is the opportunity real?', zh: '销售机会是不是虚的？' },
      stage: 'INTENT',
      scoresCompetitors: false,
      criteria: [
        {
          id: 'REAL.1',
          number: 1,
          en: "The customer's application or project",
          zh: '客户的应用或项目',
          question: {
            en: 'What need? Key problem? Sponsor? Who takes part? Fit with strategy?',
            zh: '什么需求？关键问题？发起人是谁？谁参与？与战略是否吻合？',
          },
          standard: { en: 'clear', zh: '清楚' },
        },
        {
          id: 'REAL.2',
          number: 2,
          en: "The customer's business",
          zh: '客户的业务',
          question: { en: 'Products, markets, customers, business drivers', zh: '产品、市场、客户、业务驱动因素' },
          standard: { en: 'strong', zh: '强劲' },
        },
        {
          id: 'REAL.3',
          number: 3,
          en: "The customer's financial situation",
          zh: '客户的财务状况',
          question: { en: 'Revenue and profit trend, peers, KPIs', zh: '收入和利润趋势、同行比较、关键绩效指标' },
          standard: { en: 'healthy', zh: '健全' },
        },
        {
          id: 'REAL.4',
          number: 4,
          en: "The project's budget",
          zh: '项目的预算',
          question: {
            en: 'Amount, when set, approval process, priority, other uses of the money',
            zh: '金额、何时确定、审批流程、优先级、资金的其他用途',
          },
          standard: { en: 'exists', zh: '有' },
        },
        {
          id: 'REAL.5',
          number: 5,
          en: "The project's urgency",
          zh: '项目的紧迫性',
          question: { en: 'Why act, deadline, cost of delay, reward', zh: '为何行动、最后期限、延误的代价、回报' },
          standard: { en: 'clear', zh: '清楚' },
        },
      ],
    },
    {
      kind: 'WORTH',
      labels: { en: 'Is it worth winning?', zh: '值得赢吗？' },
      stage: 'PROJECT',
      scoresCompetitors: false,
      criteria: [
        {
          id: 'WORTH.6',
          number: 6,
          en: 'Our short-term revenue',
          zh: '我们的短期收入',
          question: {
            en: 'Order size against our minimum; will it close within our longest sales cycle?',
            zh: '订单规模是否达到我们的最低要求？能否在我们最长的销售周期内成交？',
          },
          standard: { en: 'high', zh: '高' },
        },
        {
          id: 'WORTH.7',
          number: 7,
          en: 'Our future revenue',
          zh: '我们的未来收入',
          question: { en: 'Next year, next three years', zh: '明年、未来三年' },
          standard: { en: 'high', zh: '高' },
        },
        {
          id: 'WORTH.8',
          number: 8,
          en: 'Our profit',
          zh: '我们的利润',
          question: { en: 'Expected margin, effect of discounts', zh: '预期利润率、折扣的影响' },
          standard: { en: 'high', zh: '高' },
        },
        {
          id: 'WORTH.9',
          number: 9,
          en: 'Our risk',
          zh: '我们的风险',
          question: {
            en: "Can the solution fail, from our side or the customer's? Would failure hurt us?",
            zh: '方案是否可能因我方或客户方原因失败？失败是否会伤害我们？',
          },
          standard: { en: 'acceptable', zh: '可接受' },
        },
        {
          id: 'WORTH.10',
          number: 10,
          en: 'Strategic value for expanding our market',
          zh: '拓展市场的战略价值',
          question: { en: 'Does it open a market, an industry or a reference for us?', zh: '能否为我们打开市场、行业或形成样板？' },
          standard: { en: 'present', zh: '有' },
        },
      ],
    },
    {
      kind: 'COMPETE',
      labels: { en: 'Can we compete?', zh: '我们能够与其它厂家竞争吗？' },
      stage: 'PROJECT',
      scoresCompetitors: true,
      criteria: [
        {
          id: 'COMPETE.1',
          number: 1,
          en: "Mastery of the customer's evaluation criteria",
          zh: '对客户评估标准的掌握',
          question: {
            en: 'Formal evaluation process, most important criterion, who drives it',
            zh: '正式的评估流程、最重要的标准、由谁主导',
          },
          standard: { en: 'clear', zh: '清楚' },
        },
        {
          id: 'COMPETE.2',
          number: 2,
          en: 'A suitable solution',
          zh: '合适的解决方案',
          question: { en: "Does our solution fit the customer's needs?", zh: '我们的方案是否适合客户的需求？' },
          standard: { en: 'fits', zh: '适合' },
        },
        {
          id: 'COMPETE.3',
          number: 3,
          en: 'Sales resources and quality',
          zh: '销售资源与质量',
          question: { en: 'Time, external resources, cost, team', zh: '时间、外部资源、成本、团队' },
          standard: { en: 'sufficient / strong', zh: '充足/强' },
        },
        {
          id: 'COMPETE.4',
          number: 4,
          en: 'Relationship with the customer',
          zh: '与客户的关系',
          question: {
            en: "Level, the competitors' relationships, executive visits, loyalty",
            zh: '关系层次、竞争对手的关系、高层互访、忠诚度',
          },
          standard: { en: 'close', zh: '密切' },
        },
        {
          id: 'COMPETE.5',
          number: 5,
          en: 'The unique business value the customer sees in us',
          zh: '客户认为我们独特的商业价值',
          question: { en: 'What does the customer get from us that no one else offers?', zh: '客户能从我们这里得到哪些别人提供不了的价值？' },
          standard: { en: 'strong', zh: '强' },
        },
      ],
    },
    {
      kind: 'WIN',
      labels: { en: 'Can we really win?', zh: '我们真正赢的把握如何？' },
      stage: 'PROJECT',
      scoresCompetitors: true,
      criteria: [
        {
          id: 'WIN.6',
          number: 6,
          en: 'Support from an insider (coach)',
          zh: '内部支持者（教练）的支持',
          question: { en: 'Who inside the customer wants us to win, and how much do they help?', zh: '客户内部谁希望我们赢？帮助有多大？' },
          standard: { en: 'strong', zh: '强' },
        },
        {
          id: 'WIN.7',
          number: 7,
          en: "Trust of the customer's senior leaders",
          zh: '客户高层的信任',
          question: { en: 'Do the senior leaders know and trust us?', zh: '客户高层是否了解并信任我们？' },
          standard: { en: 'strong', zh: '强' },
        },
        {
          id: 'WIN.8',
          number: 8,
          en: 'Compatibility of the two corporate cultures',
          zh: '双方企业文化的相容性',
          question: { en: 'How much do the two companies share in values and ways of working?', zh: '双方在价值观和工作方式上有多少共同点？' },
          standard: { en: 'much', zh: '多' },
        },
        {
          id: 'WIN.9',
          number: 9,
          en: 'The customer\'s unstated ("under the table") criteria',
          zh: '客户“桌面下”的（未明说的）标准',
          question: { en: 'What decides the choice that nobody writes down?', zh: '哪些不成文的因素会左右选择？' },
          standard: { en: 'clear', zh: '清楚' },
        },
        {
          id: 'WIN.10',
          number: 10,
          en: 'Stake of the decision-makers in our success',
          zh: '决策者在我们成功中的利益',
          question: { en: 'What do the decision-makers personally gain if we succeed?', zh: '我们成功时决策者个人能得到什么？' },
          standard: { en: 'much', zh: '多' },
        },
      ],
    },
  ],
  buyingRoles: [
    {
      role: 'ECONOMIC_BUYER',
      labels: { en: 'Economic buyer', zh: '经济效益' },
      decides: { en: 'Final say, controls the budget, can veto', zh: '拥有最终决定权，控制预算，可以否决' },
      caresAbout: { en: 'The business result', zh: '经营效益' },
      count: { min: 1, max: 1 },
    },
    {
      role: 'TECHNICAL_BUYER',
      labels: { en: 'Technical buyer', zh: '技术把关' },
      decides: { en: 'Evaluates solutions, can reject on technical grounds, cannot approve', zh: '评估方案，可因技术原因否决，但无权批准' },
      caresAbout: { en: 'The technical specification', zh: '技术规格' },
      count: { min: 0, max: null },
    },
    {
      role: 'USER',
      labels: { en: 'User', zh: '用户运作' },
      decides: { en: 'Judges the effect on daily work', zh: '判断对日常工作的影响' },
      caresAbout: { en: 'Getting daily work done', zh: '完成日常工作' },
      count: { min: 0, max: null },
    },
    {
      role: 'COACH',
      labels: { en: 'Coach', zh: '连络沟通' },
      decides: { en: 'Relays information between vendor and customer', zh: '在厂商与客户之间传递信息' },
      caresAbout: { en: 'A win for both sides', zh: '双赢' },
      count: { min: 1, max: null },
    },
  ],
  procurementMilestones: numbered([
    ['PROJECT_TEAM_SET_UP', 'Set up the project / expert team', '成立项目组/专家组'],
    ['GOALS_AND_SCOPE_DEFINED', 'Define project goals and scope', '确定项目目标和范围'],
    ['DECISION_PROCESS_DEFINED', 'Define the decision process and the main decision-makers', '确定决策流程和主要决策人'],
    ['EVALUATION_CRITERIA_DEFINED', 'Define evaluation categories and criteria', '确定评审内容和标准'],
    ['RFP_ISSUED', 'Issue the RFP', '发出招标书（RFP）'],
    ['PROPOSALS_RECEIVED', "Receive vendors' proposals", '接收厂商建议书'],
    ['PRESENTATIONS_AND_QA', 'Vendor presentations and Q&A', '厂商演示与答疑'],
    ['SOLUTIONS_SHORTLISTED', 'Shortlist solutions', '方案入围'],
    ['NEGOTIATION', 'Negotiation', '商务谈判'],
    ['SIGNING', 'Signing', '签约'],
    ['IMPLEMENTATION_STARTED', 'Implementation starts', '开始实施'],
    ['FIRST_PHASE_DONE', 'First phase done', '第一阶段完成'],
    ['IMPLEMENTATION_DONE', 'Whole implementation done', '全部实施完成'],
  ]),
  evaluationCategories: [
    item('TECHNOLOGY', 'Technology', '技术'),
    item('QUALITY', 'Quality', '质量'),
    item('FUNCTION_OPERATION', 'Function / operation', '功能/操作'),
    item('SECURITY', 'Security', '安全性'),
    item('TOTAL_COST_OF_OWNERSHIP', 'Total cost of ownership', '总体拥有成本'),
    item('SERVICE_AND_SUPPORT', 'Service and support', '服务与支持'),
    item('REFERENCE_CASES', 'Reference cases', '参考案例'),
    item('DELIVERY_TIME', 'Delivery / completion time', '交付/完成时间'),
    item('BUDGET_AND_PAYMENT', 'Budget and payment', '预算与付款'),
    item('ECONOMIC_BENEFIT', 'Economic benefit', '经济效益'),
    item('OTHER', 'Other', '其他'),
  ],
  negotiationConditions,
  wonConditions: [
    item('CONTRACT_SIGNED', 'Contract signed', '完成签约'),
    item('FIRST_PAYMENT_CONFIRMED', 'First payment received and confirmed by finance', '支付首期及相关款项并得到财务确认'),
    item('ORDER_SHIPPED', 'Order placed and goods shipped', '已下单并发货'),
  ],
  needDimensions: [
    { id: 'APPLICATION', en: 'Application and service', zh: '应用与服务' },
    { id: 'TECHNICAL', en: 'Technical and system', zh: '技术与系统' },
    { id: 'RELATIONSHIP', en: 'Relationship and cooperation', zh: '关系与合作' },
  ],
  settings,
});

/** Published playbooks by version, so events can be read against the rules they were decided by. */
export const PLAYBOOKS: Readonly<Record<string, Playbook>> = { [DEFAULT_PLAYBOOK.version]: DEFAULT_PLAYBOOK };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
